// The compute suite's device peak on lavapipe: results carry no theoretical peak, and say why.
#include <gtest/gtest.h>

#include "suites/compute/device_compute.h"
#include "support/recording_sink.h"
#include "vulkan/vulkan_fixture.h"

namespace specgap::test {
namespace {

TEST(VulkanDeviceCompute, ASoftwareDevicesPeakHasNoTheoreticalPeakAndSaysWhy) {
  SPECGAP_NEED_LAVAPIPE(device);
  suites::DeviceComputeConfig c;
  c.dtypes = {Dtype::fp32, Dtype::int8, Dtype::bf16};  // two measured, one unsupported
  c.reps = 1;
  c.peak_rep_seconds = 0.005;
  RecordingSink sink;
  const std::vector<Result> results = suites::measure_device_peak(*device, c, sink);
  ASSERT_EQ(results.size(), 3u);
  for (const Result& r : results) {
    ASSERT_TRUE(r.params.contains("theoretical_peak")) << r.dtype.value_or("");
    EXPECT_TRUE(r.params["theoretical_peak"].is_null()) << r.dtype.value_or("");
    EXPECT_EQ(r.params.value("theoretical_peak_missing", ""), "a software device has no GPU architecture") << r.dtype.value_or("");
  }
  EXPECT_EQ(results[0].check, kCheckPassed);
  EXPECT_EQ(results[1].check, kCheckPassed);  // int8: the dot-product kernel through the suite
  EXPECT_EQ(results[1].params["convention"], "a packed 4 x 8-bit dot product counts 8 operations (4 multiplies + 4 adds)");
}

}  // namespace
}  // namespace specgap::test
