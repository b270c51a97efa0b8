// NVML through dlopen: absent, present without GPUs, failing to start, and a fake library whose GPU
// starts throttling (tests/fake_nvml), read by the sampler channel by channel.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <thread>

#include "analysis/telemetry_channels.h"
#include "telemetry/sampler.h"

namespace specgap::telemetry {
namespace {

class Env {
 public:
  Env(const char* key, const char* value) : key_(key) { setenv(key, value, 1); }
  ~Env() { unsetenv(key_); }

 private:
  const char* key_;
};

Readings read_all(SamplerSet& set) {
  Readings r;
  for (auto& s : set.samplers) s->read(r);
  return r;
}

TEST(NvmlSampler, AnAbsentLibraryIsOneUnavailableLine) {
  auto set = nvml_samplers("libnvidia-ml-that-is-not-here.so.1");
  EXPECT_TRUE(set.samplers.empty());
  ASSERT_EQ(set.unavailable.size(), 1u);
  EXPECT_NE(set.unavailable[0].find("no libnvidia-ml-that-is-not-here.so.1"), std::string::npos);
}

TEST(NvmlSampler, NvmlWithoutGpusSaysSo) {
  Env gpus("FAKE_NVML_GPUS", "0");
  auto set = nvml_samplers(SPECGAP_FAKE_NVML);
  EXPECT_TRUE(set.samplers.empty());
  ASSERT_EQ(set.unavailable.size(), 1u);
  EXPECT_NE(set.unavailable[0].find("found no GPU"), std::string::npos) << set.unavailable[0];
}

TEST(NvmlSampler, AFailedInitIsReportedNotThrown) {
  Env fail("FAKE_NVML_INIT_FAIL", "1");
  auto set = nvml_samplers(SPECGAP_FAKE_NVML);
  EXPECT_TRUE(set.samplers.empty());
  ASSERT_EQ(set.unavailable.size(), 1u);
  EXPECT_NE(set.unavailable[0].find("init failed"), std::string::npos) << set.unavailable[0];
}

TEST(NvmlSampler, EveryGpuIsReadAndAThrottlingOneIsNamed) {
  Env gpus("FAKE_NVML_GPUS", "2");
  Env after("FAKE_NVML_THROTTLE_AFTER", "0.3");
  auto set = nvml_samplers(SPECGAP_FAKE_NVML);
  ASSERT_EQ(set.samplers.size(), 1u);
  EXPECT_EQ(set.gpus, 2) << "an AMD or Intel GPU is numbered after these";
  // Each GPU's PCI address, in one spelling, so that a Vulkan device finds its own channels.
  EXPECT_EQ(set.gpu_pci, (std::vector<std::string>{"0000:3b:00.0", "0000:3c:00.0"}));
  const auto before = read_all(set);
  EXPECT_DOUBLE_EQ(before.at("gpu0.sm_clock_mhz"), 1980);
  EXPECT_DOUBLE_EQ(before.at("gpu0.mem_clock_mhz"), 2619);
  EXPECT_DOUBLE_EQ(before.at("gpu0.power_w"), 698);
  EXPECT_DOUBLE_EQ(before.at("gpu0.power_limit_w"), 700);
  EXPECT_DOUBLE_EQ(before.at("gpu0.temp_c"), 64);
  EXPECT_DOUBLE_EQ(before.at("gpu0.temp_limit_c"), 87);
  EXPECT_DOUBLE_EQ(before.at("gpu0.pcie_gen"), 5);
  EXPECT_DOUBLE_EQ(before.at("gpu0.pcie_width"), 16);
  EXPECT_DOUBLE_EQ(before.at("gpu0.clocks_event_mask"), 0);
  EXPECT_DOUBLE_EQ(before.at("gpu1.sm_clock_mhz"), 1980);
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  const auto during = read_all(set);
  EXPECT_DOUBLE_EQ(during.at("gpu0.sm_clock_mhz"), 1100);
  EXPECT_DOUBLE_EQ(during.at("gpu1.sm_clock_mhz"), 1980) << "only GPU 0 throttles";
  const auto reasons = analysis::throttle_reasons(uint64_t(during.at("gpu0.clocks_event_mask")));
  EXPECT_EQ(reasons, (std::vector<std::string>{"sw_thermal_slowdown", "hw_thermal_slowdown"}));
}

}  // namespace
}  // namespace specgap::telemetry
