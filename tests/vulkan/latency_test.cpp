// The pointer chase on a GPU through the seam, on lavapipe: checked by where it ends (a corrupted end
// fails), sized to its repetition, and the latency suite's every point measured on the device.
#include <gtest/gtest.h>

#include <string>

#include "core/error.h"
#include "core/units.h"
#include "suites/memory/latency.h"
#include "support/recording_sink.h"
#include "vulkan/vulkan_fixture.h"

namespace specgap::test {
namespace {

backends::LatencyRequest request(uint64_t bytes, uint64_t seed) {
  backends::LatencyRequest r;
  r.working_set_bytes = bytes;
  r.seed = seed;
  r.rep_seconds = 0.002;
  return r;
}

TEST(VulkanLatency, TheChaseEndsWhereTheHostsWalkDoes) {
  SPECGAP_NEED_LAVAPIPE(device);
  for (uint64_t bytes : {uint64_t(64), 16 * KiB, 256 * KiB}) {
    backends::Offer offer = device->latency(request(bytes, 3));
    ASSERT_EQ(offer.kernels.size(), 1u) << offer.unsupported;
    auto& k = *offer.kernels.front();
    EXPECT_EQ(k.check(), "") << bytes;
    EXPECT_GE(k.work(), 4096.0);  // at least the short chase's loads
    const backends::Repetition r = k.run();
    EXPECT_GT(r.ns, 0);
    EXPECT_EQ(r.failure, "");
    EXPECT_EQ(k.about()["stride_bytes"], 64);
    EXPECT_EQ(k.about()["pages"], "device-local");
    EXPECT_EQ(k.about()["timer"], "device timestamps");
  }
}

TEST(VulkanLatency, ACorruptedEndFailsTheCheck) {
  SPECGAP_NEED_LAVAPIPE(device);
  backends::Offer offer = device->latency(request(16 * KiB, 4));
  ASSERT_EQ(offer.kernels.size(), 1u) << offer.unsupported;
  auto& k = *offer.kernels.front();
  corrupt_next_check(k);
  const std::string why = k.check();
  EXPECT_NE(why.find("the chase left its cycle"), std::string::npos) << why;
  EXPECT_EQ(k.check(), "");  // the hook corrupts one check only
}

TEST(VulkanLatency, AWorkingSetBeyondTheDeviceIsUnsupportedWithAReason) {
  SPECGAP_NEED_LAVAPIPE(device);
  const backends::Offer offer = device->latency(request(device->info().max_buffer_bytes + 64, 5));
  EXPECT_TRUE(offer.kernels.empty());
  EXPECT_EQ(offer.unsupported.rfind("unsupported: ", 0), 0u) << offer.unsupported;
  EXPECT_EQ(offer.unsupported.find('\n'), std::string::npos) << offer.unsupported;
}

TEST(VulkanLatency, TheSuiteMeasuresEveryPointOnTheDevice) {
  SPECGAP_NEED_LAVAPIPE(device);
  suites::LatencyConfig config;
  config.min_bytes = 16 * KiB;
  config.max_bytes = 256 * KiB;
  config.points_per_octave = 1;
  config.reps = 2;
  RecordingSink sink;
  const auto results = suites::measure_latency(*device, config, {}, sink);
  size_t points = 0;
  for (const auto& r : results) {
    if (r.params["kind"] != "sweep_point") continue;
    SCOPED_TRACE(r.params.dump());
    ++points;
    EXPECT_EQ(r.device, device->info().id);
    EXPECT_EQ(r.impl, "vk-pointer-chase-random");
    EXPECT_EQ(r.check, kCheckPassed);
    EXPECT_GT(r.value, 0);
    EXPECT_EQ(r.unit, "ns");
    EXPECT_EQ(r.params["stride_bytes"], 64);
    EXPECT_EQ(r.params["pages"], "device-local");
    EXPECT_GE(r.params["loads_per_rep"].get<uint64_t>(), 4096u);
  }
  EXPECT_EQ(points, 5u);  // 16, 32, 64, 128 and 256 KiB
}

}  // namespace
}  // namespace specgap::test
