// The Linux samplers on captured trees: what each reads, the names and units of its channels, the
// limits it pairs with temperatures, what a machine without sensors reports as missing, and the two
// counters that need two readings (RAPL energy, /proc/stat).
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "telemetry/rapl.h"
#include "telemetry/sampler.h"

namespace specgap::telemetry {
namespace {
namespace fs = std::filesystem;

const std::string kFixtures = std::string(SPECGAP_FIXTURES) + "/sysfs/";

Readings read_all(SamplerSet& set) {
  Readings r;
  for (auto& s : set.samplers) s->read(r);
  return r;
}

// A writable copy of a fixture tree, for counters that must move between two reads.
class TreeCopy {
 public:
  explicit TreeCopy(const std::string& name) {
    std::string pattern = (fs::temp_directory_path() / "specgap-sysfs-XXXXXX").string();
    root_ = mkdtemp(pattern.data());
    fs::copy(kFixtures + name, root_, fs::copy_options::recursive);
  }
  ~TreeCopy() { fs::remove_all(root_); }
  std::string root() const { return root_.string(); }
  void write(const std::string& file, const std::string& text) const { std::ofstream(root_ / file) << text; }

 private:
  fs::path root_;
};

TEST(LinuxSamplers, AWorkstationTreeGivesClocksTemperaturesWithLimitsAndMemory) {
  auto set = linux_samplers(kFixtures + "workstation");
  EXPECT_TRUE(set.unavailable.empty()) << set.unavailable.front();
  const auto r = read_all(set);
  EXPECT_DOUBLE_EQ(r.at("cpu.freq_min_mhz"), 800);
  EXPECT_DOUBLE_EQ(r.at("cpu.freq_max_mhz"), 4200);
  EXPECT_DOUBLE_EQ(r.at("cpu.freq_mean_mhz"), (3400 + 3600 + 800 + 4200) / 4.0);
  EXPECT_DOUBLE_EQ(r.at("hwmon.coretemp.package_id_0_c"), 71);
  EXPECT_DOUBLE_EQ(r.at("hwmon.coretemp.package_id_0_limit_c"), 100) << "crit is the limit, before max";
  EXPECT_DOUBLE_EQ(r.at("hwmon.coretemp.core_0_c"), 69);
  EXPECT_DOUBLE_EQ(r.at("hwmon.acpitz.temp1_c"), 27.8) << "an unlabelled input is named after its file";
  EXPECT_EQ(r.count("hwmon.acpitz.temp1_limit_c"), 0u) << "no crit or max: no limit";
  EXPECT_DOUBLE_EQ(r.at("hwmon.nvme.composite_limit_c"), 84.85);
  EXPECT_DOUBLE_EQ(r.at("thermal.x86_pkg_temp_c"), 71);
  EXPECT_DOUBLE_EQ(r.at("thermal.x86_pkg_temp_limit_c"), 95) << "a 0 C trip is a disabled one";
  EXPECT_DOUBLE_EQ(r.at("thermal.acpitz_limit_c"), 119);
  EXPECT_DOUBLE_EQ(r.at("mem.used_bytes"), (32594156.0 - 24444556.0) * 1024);
  EXPECT_EQ(r.count("rapl.package-0_w"), 0u) << "energy needs two readings";
  EXPECT_EQ(r.count("cpu.util_pct"), 0u) << "utilisation needs two readings";
}

TEST(LinuxSamplers, AVmWithoutSensorsNamesEveryMissingSourceOnceAndReadsNoZeros) {
  auto set = linux_samplers(kFixtures + "vm-without-sensors");
  ASSERT_EQ(set.unavailable.size(), 4u);
  EXPECT_NE(set.unavailable[0].find("cpufreq/scaling_cur_freq"), std::string::npos) << set.unavailable[0];
  EXPECT_NE(set.unavailable[1].find("/sys/class/hwmon"), std::string::npos) << set.unavailable[1];
  EXPECT_NE(set.unavailable[2].find("thermal_zone"), std::string::npos) << set.unavailable[2];
  EXPECT_NE(set.unavailable[3].find("RAPL"), std::string::npos) << set.unavailable[3];
  const auto r = read_all(set);
  for (auto& [channel, v] : r) EXPECT_TRUE(channel == "mem.used_bytes") << channel << " read without a source";
}

TEST(MsrSampler, NoMsrNodeIsOneUnavailableLineNamingWhatItNeeds) {
  auto set = msr_samplers(kFixtures + "vm-without-sensors");
  EXPECT_TRUE(set.samplers.empty());
  ASSERT_EQ(set.unavailable.size(), 1u);
  EXPECT_NE(set.unavailable[0].find("dev/cpu/0/msr not readable (needs the msr module and root)"), std::string::npos)
      << set.unavailable[0];
}

TEST(LinuxSamplers, ProcStatGivesBusyAndStolenSharesBetweenTwoReads) {
  TreeCopy tree("vm-without-sensors");
  auto set = linux_samplers(tree.root());
  read_all(set);
  // 200 jiffies later: 100 busy (60 user + 40 system), 60 idle, 40 stolen.
  tree.write("proc/stat", "cpu  160 0 90 1060 5 0 1 80 0 0\n");
  const auto r = read_all(set);
  EXPECT_DOUBLE_EQ(r.at("cpu.util_pct"), 70.0);
  EXPECT_DOUBLE_EQ(r.at("cpu.steal_pct"), 20.0);
}

TEST(LinuxSamplers, RaplEnergyBecomesWattsPerTopLevelDomainAndPartWithTheLimit) {
  TreeCopy tree("workstation");
  auto set = linux_samplers(tree.root());
  read_all(set);
  const auto t0 = std::chrono::steady_clock::now();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  // 30 J in the package across a wrap of its counter: 183616 uJ to the top, then 29816384 past zero.
  tree.write("sys/class/powercap/intel-rapl:0/energy_uj", "29816383\n");
  tree.write("sys/class/powercap/intel-rapl:0:0/energy_uj", "11000000\n");
  const auto r = read_all(set);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_TRUE(r.count("rapl.package-0_w"));
  EXPECT_NEAR(r.at("rapl.package-0_w"), 30.0 / seconds, 30.0 / seconds * 0.1);
  EXPECT_NEAR(r.at("rapl.package-0.core_w"), 10.0 / seconds, 10.0 / seconds * 0.1);
  EXPECT_DOUBLE_EQ(r.at("rapl.package-0.uncore_w"), 0);
  EXPECT_DOUBLE_EQ(r.at("rapl.package-0_limit_w"), 125);
  EXPECT_TRUE(r.count("rapl.psys_w"));
}

TEST(Rapl, ACounterThatWrapsCountsTheEnergyAcrossTheWrap) {
  EXPECT_EQ(energy_delta_uj(100, 250, 1000), 150u);
  EXPECT_EQ(energy_delta_uj(900, 99, 1000), 200u) << "900..1000 is 101 values, then 0..99";
  EXPECT_EQ(energy_delta_uj(5, 5, 1000), 0u);
  EXPECT_FALSE(energy_delta_uj(2000, 10, 1000)) << "a reading past the range is not this counter";
  EXPECT_FALSE(energy_delta_uj(900, 10, 0)) << "a wrap with no known range";
}

}  // namespace
}  // namespace specgap::telemetry
