// Frequency, memory, OS, topology fallback and NVML absence: the sources that may be missing.
#include <gtest/gtest.h>

#include <algorithm>

#include "fixtures.h"
#include "probe/host.h"
#include "probe/nvml.h"
#include "probe/topology.h"

namespace specgap {
namespace {

TEST(Frequency, CpufreqWinsAndIsKilohertz) {
  const Frequency f = frequency_from_sources(std::string("3700000\n"), "cpu MHz\t\t: 2096.023\n");
  ASSERT_TRUE(f.max_mhz.has_value());
  EXPECT_DOUBLE_EQ(*f.max_mhz, 3700.0);
  EXPECT_FALSE(f.nominal_mhz.has_value());
  EXPECT_EQ(f.source, "cpufreq");
}

TEST(Frequency, CpuinfoMhzIsNominalNotMeasured) {
  const Frequency f =
      frequency_from_sources(std::nullopt, test::read_fixture("cpuinfo/amd-epyc-zen5-vm.txt"));
  EXPECT_FALSE(f.max_mhz.has_value());
  ASSERT_TRUE(f.nominal_mhz.has_value());
  EXPECT_DOUBLE_EQ(*f.nominal_mhz, 2096.023);
  EXPECT_EQ(f.source, "cpuinfo (nominal, not measured)");
}

TEST(Frequency, UnreadableCpufreqFallsBackToCpuinfo) {
  const Frequency f = frequency_from_sources(std::string("<unknown>\n"), "cpu MHz\t\t: 2500.000\n");
  EXPECT_FALSE(f.max_mhz.has_value());
  EXPECT_DOUBLE_EQ(f.nominal_mhz.value_or(0), 2500.0);
}

TEST(Frequency, ArmWithoutCpufreqIsUnknown) {
  const Frequency f =
      frequency_from_sources(std::nullopt, test::read_fixture("cpuinfo/nvidia-grace-neoverse-v2.txt"));
  EXPECT_FALSE(f.max_mhz.has_value());
  EXPECT_FALSE(f.nominal_mhz.has_value());
  EXPECT_EQ(f.source, "unknown");
}

TEST(Frequency, ThisMachineNeverFails) {
  const Frequency f = read_frequency(read_text_file("/proc/cpuinfo").value_or(""));
  EXPECT_EQ(f.max_mhz.has_value(), f.source == "cpufreq");
  if (f.nominal_mhz) {
    EXPECT_GT(*f.nominal_mhz, 0);
  }
}

TEST(Memory, MeminfoKilobytesToBytes) {
  const MemoryInfo m = memory_from_meminfo(
      "MemTotal:       24683620 kB\nMemFree:        24537232 kB\nMemAvailable:   24449356 kB\n");
  EXPECT_EQ(m.total_bytes, 24683620ull * 1024);
  EXPECT_EQ(m.available_bytes, 24449356ull * 1024);
  EXPECT_EQ(m.numa_nodes, 0);
}

TEST(Memory, MissingFieldsAreZero) {
  const MemoryInfo m = memory_from_meminfo("MemTotal:       1024 kB\nMemAvailableX:  5 kB\n");
  EXPECT_EQ(m.total_bytes, 1024ull * 1024);
  EXPECT_EQ(m.available_bytes, 0u);
  EXPECT_EQ(memory_from_meminfo("").total_bytes, 0u);
}

TEST(Os, KernelMatchesProc) {
  const OsInfo os = read_os_info();
  EXPECT_FALSE(os.hostname.empty());
  const auto release = read_text_file("/proc/sys/kernel/osrelease");
  ASSERT_TRUE(release.has_value());
  EXPECT_EQ(os.kernel + "\n", *release);
  EXPECT_FALSE(read_machine_arch().empty());
}

TEST(Topology, CountFallback) {
  const Topology t = topology_from_cpu_count(4);
  EXPECT_EQ(t.cores, 4);
  EXPECT_EQ(t.threads, 4);
  EXPECT_FALSE(t.smt);
  EXPECT_EQ(t.core_pus, (std::vector<int>{0, 1, 2, 3}));
  EXPECT_EQ(t.pu_core, (std::vector<int>{0, 1, 2, 3}));
  EXPECT_TRUE(t.caches.empty());
  EXPECT_EQ(t.sockets, 0);
  EXPECT_NE(t.source.find("sysconf"), std::string::npos);
  EXPECT_EQ(topology_from_cpu_count(-1).cores, 1);  // sysconf's error value
}

TEST(Topology, ThisMachine) {
  const Topology t = read_topology();
  EXPECT_GE(t.cores, 1);
  EXPECT_GE(t.threads, t.cores);
  EXPECT_EQ(t.smt, t.threads > t.cores);
  ASSERT_EQ(t.core_pus.size(), size_t(t.cores));
  for (size_t i = 1; i < t.core_pus.size(); ++i) EXPECT_NE(t.core_pus[i], t.core_pus[i - 1]);
  // Each core's first PU maps back to that core, and every core has as many PUs as SMT gives it.
  for (size_t i = 0; i < t.core_pus.size(); ++i) {
    ASSERT_LT(size_t(t.core_pus[i]), t.pu_core.size());
    EXPECT_EQ(t.pu_core[size_t(t.core_pus[i])], int(i));
  }
  EXPECT_EQ(std::count_if(t.pu_core.begin(), t.pu_core.end(), [](int c) { return c >= 0; }), t.threads);
  for (const CacheLevel& c : t.caches) {
    EXPECT_GE(c.level, 1);
    EXPECT_GT(c.size_bytes, 0u);
    EXPECT_GE(c.instances, 1);
    EXPECT_GE(c.pus_per_instance, 1);
  }
}

TEST(Nvml, AbsentLibraryIsANoteNotAnError) {
  const GpuList list = list_nvidia_gpus("libspecgap-no-such-nvml.so.1");
  EXPECT_TRUE(list.gpus.empty());
  EXPECT_EQ(list.note, "no NVIDIA driver (libspecgap-no-such-nvml.so.1 not found)");
}

TEST(Nvml, LibraryWithoutNvmlSymbols) {
  // libm loads everywhere glibc does, and has no NVML entry points.
  const GpuList list = list_nvidia_gpus("libm.so.6");
  EXPECT_TRUE(list.gpus.empty());
  EXPECT_EQ(list.note, "libm.so.6 lacks nvmlInit_v2 (driver too old?)");
}

TEST(Nvml, DefaultLibraryNeverThrows) {
  GpuList list;
  EXPECT_NO_THROW(list = list_nvidia_gpus());
  if (list.gpus.empty()) {
    EXPECT_FALSE(list.note.empty());
  }
  for (const GpuInfo& g : list.gpus) EXPECT_FALSE(g.name.empty());
}

}  // namespace
}  // namespace specgap
