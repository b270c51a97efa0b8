// AMD and Intel GPUs through /sys/class/drm on trees the tests write: which cards are GPUs, what each
// driver's files become (channels, units, limits, numbered after NVML's GPUs), an APU's whole-chip power, Intel's energy counts
// turned into watts on a clock the test steps (across a wrap, and not across a reset), and files that
// vanish or hold no number.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdint>
#include <filesystem>
#include <fstream>

#include "telemetry/drm_gpu.h"
#include "telemetry/sampler.h"

namespace specgap::telemetry {
namespace {
namespace fs = std::filesystem;

// A sysfs tree in a temporary folder, written file by file.
class Tree {
 public:
  Tree() {
    std::string pattern = (fs::temp_directory_path() / "specgap-drm-XXXXXX").string();
    root_ = mkdtemp(pattern.data());
  }
  ~Tree() { fs::remove_all(root_); }
  std::string root() const { return root_.string(); }
  const Tree& write(const std::string& file, const std::string& text) const {
    fs::create_directories((root_ / file).parent_path());
    std::ofstream(root_ / file) << text;
    return *this;
  }
  void remove(const std::string& path) const { fs::remove_all(root_ / path); }
  // A PCI device behind /sys/class/drm/<card> with `vendor` and `driver`.
  const Tree& card(const std::string& card, const std::string& vendor, const std::string& driver) const {
    write("sys/class/drm/" + card + "/device/vendor", vendor + "\n");
    return write("sys/class/drm/" + card + "/device/uevent", "DRIVER=" + driver + "\nPCI_CLASS=30000\n");
  }

 private:
  fs::path root_;
};

Readings read_all(SamplerSet& set) {
  Readings r;
  for (auto& s : set.samplers) s->read(r);
  return r;
}

const std::string kCard1 = "sys/class/drm/card1/device/";
const std::string kMon1 = kCard1 + "hwmon/hwmon3/";

// An RDNA dGPU with every file, as card1, and its DisplayPort connector beside it.
void write_amdgpu_dgpu(const Tree& t) {
  t.card("card1", "0x1002", "amdgpu")
      .write(kCard1 + "gpu_busy_percent", "87\n")
      .write(kCard1 + "mem_busy_percent", "41\n")
      .write(kCard1 + "pp_dpm_sclk", "0: 500Mhz\n1: 1800Mhz\n2: 2500Mhz *\n")
      .write(kCard1 + "pp_dpm_mclk", "0: 96Mhz\n1: 1250Mhz *\n")
      .write(kMon1 + "name", "amdgpu\n")
      .write(kMon1 + "freq1_input", "2482000000\n")
      .write(kMon1 + "freq1_label", "sclk\n")
      .write(kMon1 + "freq2_input", "1249000000\n")
      .write(kMon1 + "temp1_input", "65000\n")
      .write(kMon1 + "temp1_label", "edge\n")
      .write(kMon1 + "temp1_crit", "100000\n")
      .write(kMon1 + "temp2_input", "88000\n")
      .write(kMon1 + "temp2_label", "junction\n")
      .write(kMon1 + "temp2_crit", "110000\n")
      .write(kMon1 + "temp3_input", "76000\n")
      .write(kMon1 + "temp3_label", "mem\n")
      .write(kMon1 + "temp3_crit", "105000\n")
      .write(kMon1 + "power1_average", "287000000\n")
      .write(kMon1 + "power1_input", "290000000\n")
      .write(kMon1 + "power1_cap", "303000000\n")
      // A connector: its device is the card, but it is no GPU of its own.
      .card("card1-DP-1", "0x1002", "amdgpu")
      .write("sys/class/drm/card1-DP-1/status", "connected\n");
}

TEST(DrmSamplers, AnAmdgpuDgpuGivesEveryChannelInNvmlsNamesAndUnits) {
  Tree t;
  write_amdgpu_dgpu(t);
  auto set = drm_samplers(t.root());
  EXPECT_TRUE(set.unavailable.empty()) << set.unavailable.front();
  ASSERT_EQ(set.names(), std::vector<std::string>{"amdgpu card1 as gpu0"}) << "the connector is not a second GPU";
  EXPECT_EQ(set.gpus, 1);
  const Readings expected = {
      {"gpu0.util_pct", 87},          {"gpu0.mem_util_pct", 41},
      {"gpu0.sm_clock_mhz", 2482},    {"gpu0.mem_clock_mhz", 1249},  // hwmon's Hz, before the DPM table's level
      {"gpu0.temp_c", 65},            {"gpu0.temp_limit_c", 100},
      {"gpu0.junction_temp_c", 88},   {"gpu0.junction_temp_limit_c", 110},
      {"gpu0.mem_temp_c", 76},        {"gpu0.mem_temp_limit_c", 105},
      {"gpu0.power_w", 287},          {"gpu0.power_limit_w", 303},  // the average, before the instant
  };
  EXPECT_EQ(read_all(set), expected);
  // Behind two GPUs NVML numbers, it is the third.
  auto after_nvml = drm_samplers(t.root(), 2);
  EXPECT_EQ(after_nvml.names(), std::vector<std::string>{"amdgpu card1 as gpu2"});
  EXPECT_DOUBLE_EQ(read_all(after_nvml).at("gpu2.util_pct"), 87);
}

TEST(DrmSamplers, EachGpuGivesItsPciAddressAndSetsJoinInGpuOrder) {
  Tree t;
  write_amdgpu_dgpu(t);
  t.write(kCard1 + "uevent", "DRIVER=amdgpu\nPCI_CLASS=30000\nPCI_SLOT_NAME=0000:03:00.0\n");
  SamplerSet all;
  all.gpus = 2;  // as if NVML had two GPUs and could not tell their addresses
  all.add(drm_samplers(t.root(), 2));
  EXPECT_EQ(all.gpus, 3);
  EXPECT_EQ(all.gpu_pci, (std::vector<std::string>{"", "", "0000:03:00.0"}));
  // Without PCI_SLOT_NAME the GPU is still read, its address unknown.
  t.write(kCard1 + "uevent", "DRIVER=amdgpu\n");
  EXPECT_EQ(drm_samplers(t.root()).gpu_pci, std::vector<std::string>{""});
}

TEST(DrmSamplers, AnAmdgpuApuNamesItsPowerAsTheWholeChipAndReadsTheDpmLevel) {
  Tree t;
  const std::string dev = "sys/class/drm/card0/device/", mon = dev + "hwmon/hwmon1/";
  t.card("card0", "0x1002", "amdgpu")
      .write(dev + "gpu_busy_percent", "12\n")
      .write(dev + "pp_dpm_sclk", "0: 600Mhz\n1: 1900Mhz *\n2: 2900Mhz\n")
      .write(dev + "pp_dpm_mclk", "0: 400Mhz\n1: 800Mhz *\n")
      .write(mon + "name", "amdgpu\n")
      .write(mon + "in1_input", "1200\n")  // vddnb: APUs only
      .write(mon + "in1_label", "vddnb\n")
      .write(mon + "temp1_input", "52000\n")
      .write(mon + "temp1_label", "edge\n")
      .write(mon + "power1_input", "38500000\n")
      .write(mon + "power1_cap", "54000000\n");
  auto set = drm_samplers(t.root());
  ASSERT_EQ(set.samplers.size(), 1u);
  EXPECT_NE(set.samplers[0]->name().find("APU: soc_power_w is the whole chip, CPU included"), std::string::npos)
      << set.samplers[0]->name();
  const Readings expected = {
      {"gpu0.util_pct", 12},      {"gpu0.sm_clock_mhz", 1900}, {"gpu0.mem_clock_mhz", 800},
      {"gpu0.temp_c", 52},        {"gpu0.soc_power_w", 38.5},  {"gpu0.soc_power_limit_w", 54},
  };
  EXPECT_EQ(read_all(set), expected) << "no junction or memory sensor, no crit, and no board power_w";
}

TEST(DrmSamplers, TheGpusHwmonChipIsNotReadAgainByTheHwmonSampler) {
  Tree t;
  t.write("sys/class/hwmon/hwmon0/name", "amdgpu\n")
      .write("sys/class/hwmon/hwmon0/temp1_input", "52000\n")
      .write("sys/class/hwmon/hwmon0/power1_input", "38500000\n")
      .write("sys/class/hwmon/hwmon1/name", "k10temp\n")
      .write("sys/class/hwmon/hwmon1/temp1_input", "61000\n");
  auto set = linux_samplers(t.root());
  const Readings r = read_all(set);
  EXPECT_DOUBLE_EQ(r.at("hwmon.k10temp.temp1_c"), 61);
  for (auto& [channel, v] : r) EXPECT_EQ(channel.find("amdgpu"), std::string::npos) << channel << " counted twice";
}

// Intel's energy counts are turned into watts on a clock the test steps.
struct SteppedClock {
  int64_t ns = 0;
  std::function<int64_t()> fn() {
    return [this] { return ns; };
  }
};

TEST(DrmSamplers, AnXeCardGivesWattsFromItsCardAndPackageEnergyOneSecondApart) {
  Tree t;
  const std::string dev = "sys/class/drm/card0/device/", mon = dev + "hwmon/hwmon2/";
  t.card("card0", "0x8086", "xe")
      .write(dev + "tile0/gt0/freq0/act_freq", "2850\n")
      .write(dev + "tile0/gt0/freq0/cur_freq", "2900\n")
      .write(mon + "name", "xe\n")
      .write(mon + "energy1_input", "1000000000\n")
      .write(mon + "energy1_label", "card\n")
      .write(mon + "energy2_input", "400000000\n")
      .write(mon + "energy2_label", "pkg\n")
      .write(mon + "power1_max", "250000000\n")
      .write(mon + "power2_max", "200000000\n")
      .write(mon + "temp2_input", "61000\n")
      .write(mon + "temp2_label", "pkg\n")
      .write(mon + "temp3_input", "70000\n")
      .write(mon + "temp3_label", "vram\n");
  SteppedClock clock;
  auto set = drm_samplers(t.root(), 0, clock.fn());
  ASSERT_EQ(set.names(), std::vector<std::string>{"xe card0 as gpu0"});
  const Readings first = read_all(set);
  EXPECT_EQ(first.count("gpu0.power_w"), 0u) << "energy needs two readings";
  clock.ns = 1'000'000'000;
  t.write(mon + "energy1_input", "1187500000\n").write(mon + "energy2_input", "495250000\n");
  const Readings expected = {
      {"gpu0.sm_clock_mhz", 2850},  // the clock granted, not the one asked for
      {"gpu0.temp_c", 61},          {"gpu0.mem_temp_c", 70},
      {"gpu0.power_w", 187.5},      {"gpu0.power_limit_w", 250},
      {"gpu0.package_power_w", 95.25}, {"gpu0.package_power_limit_w", 200},
  };
  const Readings second = read_all(set);
  ASSERT_EQ(second.size(), expected.size());
  for (auto& [channel, v] : expected) EXPECT_DOUBLE_EQ(second.at(channel), v) << channel;
}

TEST(DrmSamplers, AnEnergyCountThatWrapsGivesTheEnergyAcrossTheWrapAndAResetGivesNone) {
  Tree t;
  const std::string mon = "sys/class/drm/card0/device/hwmon/hwmon2/";
  // An xe card with the package count only: that is its power_w.
  t.card("card0", "0x8086", "xe")
      .write(mon + "name", "xe\n")
      .write(mon + "energy2_input", "18446744073704551616\n")
      .write(mon + "energy2_label", "pkg\n")
      .write(mon + "power2_max", "150000000\n");
  SteppedClock clock;
  auto set = drm_samplers(t.root(), 0, clock.fn());
  read_all(set);
  // 5 J to the top of 64 bits, then 7 J past zero, in 2 s.
  clock.ns = 2'000'000'000;
  t.write(mon + "energy2_input", "7000000\n");
  const Readings expected = {{"gpu0.power_w", 6.0}, {"gpu0.power_limit_w", 150}};
  EXPECT_EQ(read_all(set), expected);
  // A driver reload starts the count again: no reading rather than 2^64 uJ.
  clock.ns = 3'000'000'000;
  t.write(mon + "energy2_input", "1000\n");
  EXPECT_EQ(read_all(set).count("gpu0.power_w"), 0u);
  clock.ns = 3'500'000'000;
  t.write(mon + "energy2_input", "2001000\n");
  EXPECT_DOUBLE_EQ(read_all(set).at("gpu0.power_w"), 4.0) << "and counts on from the restarted value";
}

TEST(DrmSamplers, I915CardsGiveTheirGtClockAndADiscreteOnesPowerAndLimit) {
  Tree t;
  const std::string kMon2 = "sys/class/drm/card2/device/hwmon/hwmon4/";
  // card0: the integrated GPU of an older kernel (the legacy clock file, no hwmon); card2: a discrete
  // card with per-GT folders, whose count and limit are unlabelled; card10, numbered after card2.
  t.card("card0", "0x8086", "i915").write("sys/class/drm/card0/gt_act_freq_mhz", "1100\n");
  t.card("card2", "0x8086", "i915")
      .write("sys/class/drm/card2/gt/gt0/rps_act_freq_mhz", "2050\n")
      .write("sys/class/drm/card2/gt_act_freq_mhz", "1999\n")
      .write(kMon2 + "name", "i915\n")
      .write(kMon2 + "energy1_input", "5000000\n")
      .write(kMon2 + "power1_max", "190000000\n");
  t.card("card10", "0x8086", "i915").write("sys/class/drm/card10/gt_act_freq_mhz", "300\n");
  SteppedClock clock;
  auto set = drm_samplers(t.root(), 0, clock.fn());
  EXPECT_EQ(set.names(), (std::vector<std::string>{"i915 card0 as gpu0", "i915 card2 as gpu1", "i915 card10 as gpu2"}));
  read_all(set);
  clock.ns = 1'000'000'000;
  t.write(kMon2 + "energy1_input", "100000000\n");
  const Readings expected = {{"gpu0.sm_clock_mhz", 1100},
                             {"gpu2.sm_clock_mhz", 300},
                             {"gpu1.sm_clock_mhz", 2050},
                             {"gpu1.power_w", 95},
                             {"gpu1.power_limit_w", 190}};
  EXPECT_EQ(read_all(set), expected);
}

TEST(DrmSamplers, OtherCardsAreIgnoredOrNamedAndAGpuWithoutFilesIsNamedWithWhatIsMissing) {
  Tree t;
  t.card("card0", "0x1af4", "virtio-pci");       // a VM's virtio GPU: named
  t.card("card1", "0x10de", "nvidia");           // NVML's
  t.write("sys/class/drm/card2/dev", "226:2\n");  // simpledrm: no PCI device
  t.card("card3", "0x1002", "amdgpu");           // amdgpu without any of its files
  t.write("sys/class/drm/renderD128/dev", "226:128\n");
  auto set = drm_samplers(t.root());
  EXPECT_TRUE(set.samplers.empty());
  EXPECT_EQ(set.gpus, 0);
  ASSERT_EQ(set.unavailable.size(), 2u);
  EXPECT_EQ(set.unavailable[0], "GPU card0: vendor 0x1af4, driver virtio-pci: specgap reads amdgpu, xe and i915 only");
  EXPECT_EQ(set.unavailable[1], "GPU card3 (amdgpu): no gpu_busy_percent, pp_dpm_sclk or hwmon in " + t.root() +
                                    "/sys/class/drm/card3/device");
}

TEST(DrmSamplers, AMachineWithoutDrmCardsIsOneLine) {
  Tree t;
  auto set = drm_samplers(t.root());
  EXPECT_TRUE(set.samplers.empty());
  ASSERT_EQ(set.unavailable.size(), 1u);
  EXPECT_EQ(set.unavailable[0], "AMD and Intel GPUs: no amdgpu, xe or i915 card in " + t.root() + "/sys/class/drm");
}

TEST(DrmSamplers, AFileWithoutANumberIsSkippedAndAVanishedCardReadsNothing) {
  Tree t;
  write_amdgpu_dgpu(t);
  t.write(kCard1 + "gpu_busy_percent", "garbage\n").write(kMon1 + "freq2_input", "");
  t.remove(kMon1 + "freq1_input");  // a kernel without it
  auto set = drm_samplers(t.root());
  Readings r = read_all(set);
  EXPECT_EQ(r.count("gpu0.util_pct"), 0u);
  EXPECT_EQ(r.count("gpu0.mem_clock_mhz"), 0u);
  EXPECT_DOUBLE_EQ(r.at("gpu0.sm_clock_mhz"), 2500) << "without freq1_input, the level marked '*'";
  EXPECT_DOUBLE_EQ(r.at("gpu0.mem_util_pct"), 41) << "the other files still read";
  t.write(kCard1 + "pp_dpm_sclk", "0: 500Mhz\n1: 1800Mhz\n");
  EXPECT_EQ(read_all(set).count("gpu0.sm_clock_mhz"), 0u) << "a table without a current level";
  t.remove("sys/class/drm/card1");
  r.clear();
  EXPECT_NO_THROW(for (auto& s : set.samplers) s->read(r));
  EXPECT_TRUE(r.empty());
}

}  // namespace
}  // namespace specgap::telemetry
