// probe_machine: every source assembled into one Machine, plus its cache helpers and JSON form.
#include "probe/machine.h"

#include <algorithm>
#include <cstdlib>

#include <fmt/format.h>

#include "core/emulation.h"
#include "probe/cpu_info.h"
#include "probe/cpuid.h"
#include "probe/host.h"
#include "probe/machine_peak.h"
#include "probe/nvml.h"
#include "probe/topology.h"
#include "probe/vulkan.h"

namespace specgap {
namespace {

bool holds_data(const CacheLevel& c) { return c.type != "instruction"; }

// Unknown numbers serialise as null, so scripts never mistake a 0 or -1 for a reading.
nlohmann::json positive_or_null(int64_t v) { return v > 0 ? nlohmann::json(v) : nlohmann::json(nullptr); }
nlohmann::json known_or_null(int v) { return v >= 0 ? nlohmann::json(v) : nlohmann::json(nullptr); }
nlohmann::json optional_or_null(const std::optional<double>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

nlohmann::json core_kinds_json(const CpuInfo& cpu) {
  nlohmann::json kinds = nlohmann::json::array();
  for (const CoreKind& k : cpu.core_kinds)
    kinds.push_back({{"uarch", k.uarch.id},
                     {"uarch_name", k.uarch.name},
                     {"vendor", k.vendor},
                     {"model", known_or_null(k.model)},
                     {"cores", positive_or_null(k.cores)},
                     {"cpus", k.cpus},
                     {"freq_max_mhz", optional_or_null(k.freq_max_mhz)}});
  return kinds;
}

// Per dtype: the machine's figure (TFLOP/s or TOP/s, as compute results give theirs) or why none,
// the ops per cycle summed over kinds, and each kind's path with its source and confidence.
nlohmann::json peaks_json(const CpuInfo& cpu) {
  nlohmann::json peaks = nlohmann::json::array();
  for (const MachinePeak& p : machine_peaks(cpu)) {
    nlohmann::json kinds = nlohmann::json::array();
    for (const KindPeak& k : p.kinds) {
      nlohmann::json kind = {{"uarch", k.kind->uarch.id}, {"cores", k.kind->cores}, {"instruction", k.instruction},
                             {"vector_bits", k.vector_bits}, {"ops_per_cycle_per_core", nullptr}};
      if (k.rate) {
        kind["ops_per_cycle_per_core"] = k.rate->ops_per_cycle;
        kind["basis"] = k.rate->basis;
        kind["source"] = k.rate->source;
        kind["confidence"] = k.rate->confidence;
      }
      kinds.push_back(kind);
    }
    peaks.push_back({{"dtype", std::string(to_string(p.dtype))},
                     {"unit", is_integer(p.dtype) ? "TOP/s" : "TFLOP/s"},
                     {"value", p.ops_per_second ? nlohmann::json(*p.ops_per_second * 1e-12) : nlohmann::json(nullptr)},
                     {"ops_per_cycle", p.ops_per_cycle > 0 ? nlohmann::json(p.ops_per_cycle) : nlohmann::json(nullptr)},
                     {"formula", p.formula},
                     {"missing", p.missing},
                     {"kinds", kinds}});
  }
  return peaks;
}

}  // namespace

Machine probe_machine() {
  Machine m;
  CpuSources sources;
  sources.cpuinfo_text = read_text_file("/proc/cpuinfo").value_or("");
  sources.arch = read_machine_arch();
  sources.cpuid_leaves = read_cpuid_leaves();  // empty off x86-64
  sources.topology = read_topology();
  sources.frequency = read_frequency(sources.cpuinfo_text);
  sources.sve = read_sve_length();
  sources.emulator = user_mode_emulator();
  // Natively /proc/cpuinfo names every CPU; the registers speak only for the one this thread is on.
  if (!sources.emulator.empty()) sources.arm_registers = read_arm_registers();
  m.cpu = cpu_info_from_sources(sources);
  // Each kind of a hybrid chip has its own clock; a single kind has the machine's, already set.
  if (m.cpu.core_kinds.size() > 1)
    for (CoreKind& k : m.cpu.core_kinds)
      if (!k.cpus.empty()) {
        const auto khz = read_text_file(fmt::format("/sys/devices/system/cpu/cpu{}/cpufreq/cpuinfo_max_freq", k.cpus[0]));
        k.freq_max_mhz = frequency_from_sources(khz, "").max_mhz;
      }
  const Topology& topo = sources.topology;

  m.memory = memory_from_meminfo(read_text_file("/proc/meminfo").value_or(""));
  m.memory.numa_nodes = topo.numa_nodes;

  // SPECGAP_NVML names another NVML (a driver outside the loader's path, or the tests' fake one).
  const char* nvml = std::getenv("SPECGAP_NVML");
  GpuList gpus = nvml && *nvml ? list_nvidia_gpus(nvml) : list_nvidia_gpus();
  m.gpus = std::move(gpus.gpus);
  m.gpu_note = std::move(gpus.note);
  // SPECGAP_VULKAN names another loader (the tests' way to a machine without one).
  const char* vulkan = std::getenv("SPECGAP_VULKAN");
  VulkanList vk = vulkan && *vulkan ? list_vulkan_devices(vulkan) : list_vulkan_devices();
  m.vulkan = std::move(vk.devices);
  m.vulkan_note = std::move(vk.note);
  m.os = read_os_info();
  return m;
}

uint64_t last_level_cache_bytes(const CpuInfo& cpu) {
  int last_level = 0;
  for (const CacheLevel& c : cpu.caches)
    if (holds_data(c) && c.level > last_level) last_level = c.level;
  uint64_t total = 0;
  // Sum over every entry of that level: a hybrid or multi-socket machine lists several.
  for (const CacheLevel& c : cpu.caches)
    if (holds_data(c) && c.level == last_level) total += c.size_bytes * uint64_t(c.instances);
  return total;
}

std::vector<CacheLevel> caches_from_json(const nlohmann::json& caches) {
  std::vector<CacheLevel> out;
  if (!caches.is_array()) return out;
  // Unknown figures are null in a machine record (positive_or_null).
  const auto count = [](const nlohmann::json& c, const char* key) {
    const auto it = c.find(key);
    return it != c.end() && it->is_number_integer() && it->get<int64_t>() > 0 ? it->get<int64_t>() : int64_t{0};
  };
  for (const auto& c : caches) {
    if (!c.is_object() || count(c, "size_bytes") == 0) continue;
    CacheLevel level;
    level.level = int(count(c, "level"));
    level.type = c.contains("type") && c["type"].is_string() ? c["type"].get<std::string>() : "unified";
    level.size_bytes = uint64_t(count(c, "size_bytes"));
    level.instances = int(std::max<int64_t>(1, count(c, "instances")));
    level.pus_per_instance = int(count(c, "pus_per_instance"));
    out.push_back(level);
  }
  return out;
}

uint64_t cache_bytes(const CpuInfo& cpu, int level) {
  // The first entry is the one holding CPU 0 (topology keeps hwloc's order).
  for (const CacheLevel& c : cpu.caches)
    if (holds_data(c) && c.level == level) return c.size_bytes;
  return 0;
}

nlohmann::json to_json(const Machine& m) {
  const CpuInfo& cpu = m.cpu;
  const CpuIdentity& id = cpu.identity;
  nlohmann::json caches = nlohmann::json::array();
  for (const CacheLevel& c : cpu.caches) {
    caches.push_back({{"level", c.level},
                      {"type", c.type},
                      {"size_bytes", c.size_bytes},
                      {"instances", c.instances},
                      {"pus_per_instance", c.pus_per_instance}});
  }
  nlohmann::json gpus = nlohmann::json::array();
  for (const GpuInfo& g : m.gpus) {
    gpus.push_back({{"index", g.index},
                    {"name", g.name},
                    {"uuid", g.uuid},
                    {"memory_bytes", positive_or_null(int64_t(g.memory_bytes))},
                    {"driver", g.driver},
                    {"pci_bus_id", g.pci_bus_id}});
  }
  nlohmann::json vulkan = nlohmann::json::array();
  for (const VulkanDeviceInfo& d : m.vulkan)
    vulkan.push_back({{"index", d.index},
                      {"name", d.name},
                      {"vendor", d.vendor},
                      {"vendor_id", d.vendor_id},
                      {"device_id", d.device_id},
                      {"kind", d.kind},
                      {"api_version", d.api_version},
                      {"driver", d.driver},
                      {"device_local_bytes", positive_or_null(int64_t(d.device_local_bytes))},
                      {"timestamps", d.timestamps},
                      {"timestamp_period_ns", d.timestamp_period_ns},
                      {"subgroup_size", positive_or_null(int64_t(d.subgroup_size))}});
  return {
      {"cpu",
       {{"arch", id.arch},
        {"vendor", id.vendor},
        {"model_name", id.model_name},
        {"family", known_or_null(id.family)},
        {"model", known_or_null(id.model)},
        {"stepping", known_or_null(id.stepping)},
        {"uarch", cpu.uarch.id},
        {"uarch_name", cpu.uarch.name},
        {"sockets", positive_or_null(cpu.sockets)},
        {"cores", positive_or_null(cpu.cores)},
        {"threads", positive_or_null(cpu.threads)},
        {"smt", cpu.smt},
        {"isa", id.isa},
        {"caches", caches},
        {"freq_max_mhz", optional_or_null(cpu.freq_max_mhz)},
        {"freq_nominal_mhz", optional_or_null(cpu.freq_nominal_mhz)},
        {"freq_source", cpu.freq_source},
        {"hypervisor", cpu.hypervisor},
        {"emulator", cpu.emulator},
        {"core_kinds", core_kinds_json(cpu)},
        {"sve_vector_bits", positive_or_null(cpu.sve_vector_bits)},
        {"sve_vector_source", cpu.sve_vector_source},
        {"theoretical_peak", peaks_json(cpu)}}},
      {"memory",
       {{"total_bytes", positive_or_null(int64_t(m.memory.total_bytes))},
        {"available_bytes", positive_or_null(int64_t(m.memory.available_bytes))},
        {"numa_nodes", positive_or_null(m.memory.numa_nodes)}}},
      {"gpus", gpus},
      {"gpu_note", m.gpu_note},
      {"vulkan", vulkan},
      {"vulkan_note", m.vulkan_note},
      {"os", {{"kernel", m.os.kernel}, {"hostname", m.os.hostname}}},
  };
}

}  // namespace specgap
