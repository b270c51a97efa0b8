// probe_machine on this machine, the cache-size helpers, and the stable JSON field names.
#include <gtest/gtest.h>

#include "core/units.h"
#include "probe/machine.h"
#include "support/cache_level.h"

namespace specgap {
namespace {

using test::cache;

// A 2-socket, 16-cores-per-socket server with SMT, listed as hwloc would.
CpuInfo server() {
  CpuInfo cpu;
  cpu.caches = {cache(1, "instruction", 32 * KiB, 32, 2), cache(1, "data", 48 * KiB, 32, 2),
                cache(2, "unified", 1 * MiB, 32, 2), cache(3, "unified", 32 * MiB, 4, 16)};
  return cpu;
}

TEST(CacheHelpers, SizesOfOneInstance) {
  const CpuInfo cpu = server();
  EXPECT_EQ(cache_bytes(cpu, 1), 48 * KiB);  // the data cache, not the instruction one listed first
  EXPECT_EQ(cache_bytes(cpu, 2), 1 * MiB);
  EXPECT_EQ(cache_bytes(cpu, 3), 32 * MiB);
  EXPECT_EQ(cache_bytes(cpu, 4), 0u);
}

TEST(CacheHelpers, LastLevelSumsInstances) {
  EXPECT_EQ(last_level_cache_bytes(server()), 128 * MiB);
}

TEST(CacheHelpers, HybridLevelsAreSummedAndFirstEntryIsCpuZeros) {
  CpuInfo cpu;
  // Alder Lake-like: P-core L2 per core, E-core L2 per 4-core cluster, no L3 listed.
  cpu.caches = {cache(1, "data", 48 * KiB, 8, 2), cache(1, "data", 32 * KiB, 8, 1),
                cache(2, "unified", 1280 * KiB, 8, 2), cache(2, "unified", 2 * MiB, 2, 4)};
  EXPECT_EQ(cache_bytes(cpu, 2), 1280 * KiB);
  EXPECT_EQ(last_level_cache_bytes(cpu), 8 * 1280 * KiB + 2 * 2 * MiB);
}

// A stored record's caches read back give the same sizes as the live record they were written from.
TEST(CacheHelpers, CachesReadBackFromAMachineRecord) {
  Machine m;
  m.cpu = server();
  const auto caches = caches_from_json(to_json(m)["cpu"]["caches"]);
  ASSERT_EQ(caches.size(), server().caches.size());
  CpuInfo back;
  back.caches = caches;
  EXPECT_EQ(last_level_cache_bytes(back), 128 * MiB);
  EXPECT_EQ(cache_bytes(back, 1), 48 * KiB);
  // Unknown sizes are left out; a missing instance count is one instance.
  const auto partial = caches_from_json(nlohmann::json::parse(
      R"([{"level": 3, "type": "unified", "size_bytes": null}, {"level": 2, "type": "unified", "size_bytes": 1024}])"));
  ASSERT_EQ(partial.size(), 1u);
  EXPECT_EQ(partial[0].instances, 1);
  EXPECT_TRUE(caches_from_json(nullptr).empty());
}

TEST(CacheHelpers, InstructionOnlyLevelsAndEmptyListsDoNotCount) {
  CpuInfo cpu;
  EXPECT_EQ(last_level_cache_bytes(cpu), 0u);
  EXPECT_EQ(cache_bytes(cpu, 1), 0u);
  cpu.caches = {cache(1, "data", 64 * KiB, 4, 1), cache(2, "instruction", 1 * MiB, 4, 1)};
  EXPECT_EQ(last_level_cache_bytes(cpu), 4 * 64 * KiB);
  EXPECT_EQ(cache_bytes(cpu, 2), 0u);
}

TEST(ProbeMachine, ThisMachine) {
  const Machine m = probe_machine();
  const CpuInfo& cpu = m.cpu;
  EXPECT_GE(cpu.cores, 1);
  EXPECT_GE(cpu.threads, cpu.cores);
  EXPECT_EQ(cpu.core_pus.size(), size_t(cpu.cores));
  EXPECT_FALSE(cpu.identity.arch.empty());
  // Under emulation (the Arm build under qemu) the core is named, but is no row of the peak tables.
  EXPECT_EQ(cpu.uarch.id, cpu.emulator == "none" ? lookup_uarch(cpu.identity).id : "emulated");
  if (cpu.emulator != "none") {
    EXPECT_NE(cpu.identity.model_name.find("emulated"), std::string::npos);
  }
  ASSERT_FALSE(cpu.core_kinds.empty());
  int kind_cores = 0;
  for (const CoreKind& k : cpu.core_kinds) kind_cores += k.cores;
  EXPECT_EQ(kind_cores, cpu.cores);
  EXPECT_EQ(cpu.freq_max_mhz.has_value(), cpu.freq_source == "cpufreq");
  EXPECT_FALSE(cpu.hypervisor.empty());
  if (cpu.identity.hypervisor_flag) {
    EXPECT_NE(cpu.hypervisor, "none");
  }
  EXPECT_GT(m.memory.total_bytes, 0u);
  EXPECT_LE(m.memory.available_bytes, m.memory.total_bytes);
  EXPECT_FALSE(m.os.kernel.empty());
  if (m.gpus.empty()) {
    EXPECT_FALSE(m.gpu_note.empty());
  }
#if defined(__x86_64__)
  EXPECT_EQ(cpu.identity.arch, "x86_64");
  EXPECT_FALSE(cpu.identity.vendor.empty());
  EXPECT_NE(cpu.hypervisor, "unknown");  // CPUID always answers on x86-64
  EXPECT_EQ(cpu.emulator, "none");
#endif
}

TEST(MachineJson, StableFieldNames) {
  const nlohmann::json j = to_json(probe_machine());
  for (const char* key : {"cpu", "memory", "gpus", "gpu_note", "os"}) EXPECT_TRUE(j.contains(key)) << key;
  for (const char* key : {"arch", "vendor", "model_name", "family", "model", "stepping", "uarch", "uarch_name",
                          "sockets", "cores", "threads", "smt", "isa", "caches", "freq_max_mhz",
                          "freq_nominal_mhz", "freq_source", "hypervisor", "emulator", "core_kinds",
                          "sve_vector_bits", "sve_vector_source", "theoretical_peak"})
    EXPECT_TRUE(j["cpu"].contains(key)) << key;
  for (const char* key : {"total_bytes", "available_bytes", "numa_nodes"}) EXPECT_TRUE(j["memory"].contains(key)) << key;
  for (const char* key : {"kernel", "hostname"}) EXPECT_TRUE(j["os"].contains(key)) << key;
  EXPECT_TRUE(j["cpu"]["isa"].is_array());
  EXPECT_TRUE(j["gpus"].is_array());
  for (const auto& c : j["cpu"]["caches"])
    for (const char* key : {"level", "type", "size_bytes", "instances", "pus_per_instance"})
      EXPECT_TRUE(c.contains(key)) << key;
}

TEST(MachineJson, UnknownsAreNullAndValuesPassThrough) {
  Machine m;
  m.cpu.identity.arch = "aarch64";
  m.cpu.identity.vendor = "ARM";
  m.cpu.identity.model = 0xd4f;
  m.cpu.identity.isa = {"neon", "sve2"};
  m.cpu.uarch = {"v2", "Arm Neoverse V2"};
  m.cpu.cores = 72;
  m.cpu.threads = 72;
  m.cpu.caches = {cache(2, "unified", 1 * MiB, 72, 1)};
  m.cpu.freq_nominal_mhz = 3100.0;
  m.cpu.freq_source = "cpuinfo (nominal, not measured)";
  m.memory.total_bytes = 480 * GiB;
  GpuInfo g;
  g.index = 0;
  g.name = "NVIDIA GH200 480GB";
  g.uuid = "GPU-0";
  g.memory_bytes = 96 * GiB;
  g.driver = "570.86.15";
  g.pci_bus_id = "00000009:01:00.0";
  m.gpus = {g};
  const nlohmann::json j = to_json(m);
  const nlohmann::json& cpu = j["cpu"];
  EXPECT_TRUE(cpu["family"].is_null());  // -1 on Arm
  EXPECT_TRUE(cpu["stepping"].is_null());
  EXPECT_EQ(cpu["model"], 0xd4f);
  EXPECT_TRUE(cpu["sockets"].is_null());  // 0: unknown
  EXPECT_EQ(cpu["cores"], 72);
  EXPECT_EQ(cpu["uarch"], "v2");
  EXPECT_EQ(cpu["uarch_name"], "Arm Neoverse V2");
  EXPECT_EQ(cpu["isa"], nlohmann::json({"neon", "sve2"}));
  EXPECT_TRUE(cpu["freq_max_mhz"].is_null());
  EXPECT_DOUBLE_EQ(cpu["freq_nominal_mhz"].get<double>(), 3100.0);
  EXPECT_EQ(cpu["hypervisor"], "unknown");
  EXPECT_EQ(cpu["emulator"], "none");
  EXPECT_TRUE(cpu["sve_vector_bits"].is_null());
  EXPECT_EQ(cpu["core_kinds"], nlohmann::json::array());
  EXPECT_EQ(cpu["caches"][0]["size_bytes"], MiB);
  EXPECT_EQ(cpu["caches"][0]["instances"], 72);
  EXPECT_EQ(j["memory"]["total_bytes"], 480 * GiB);
  EXPECT_TRUE(j["memory"]["available_bytes"].is_null());
  EXPECT_TRUE(j["memory"]["numa_nodes"].is_null());
  ASSERT_EQ(j["gpus"].size(), 1u);
  EXPECT_EQ(j["gpus"][0]["name"], "NVIDIA GH200 480GB");
  EXPECT_EQ(j["gpus"][0]["memory_bytes"], 96 * GiB);
  EXPECT_EQ(j["gpus"][0]["pci_bus_id"], "00000009:01:00.0");
  EXPECT_EQ(j["gpus"][0]["driver"], "570.86.15");
}

}  // namespace
}  // namespace specgap
