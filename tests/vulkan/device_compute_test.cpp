// The compute suite's device peak on lavapipe: results carry no theoretical peak, and say why.
#include <gtest/gtest.h>

#include "suites/compute/peak.h"
#include "support/recording_sink.h"
#include "vulkan/vulkan_fixture.h"

namespace specgap::test {
namespace {

TEST(VulkanDeviceCompute, ASoftwareDevicesPeakHasNoTheoreticalPeakAndSaysWhy) {
  SPECGAP_NEED_LAVAPIPE(device);
  suites::PeakConfig c;
  c.dtypes = {Dtype::fp32, Dtype::int8, Dtype::bf16};  // two measured, one unsupported
  c.reps = 1;
  c.rep_seconds = 0.005;
  RecordingSink sink;
  const std::vector<Result> results = suites::measure_peak(*device, c, sink);
  ASSERT_EQ(results.size(), 3u);
  for (const Result& r : results) {
    ASSERT_TRUE(r.params.contains("theoretical_peak")) << r.dtype.value_or("");
    EXPECT_TRUE(r.params["theoretical_peak"].is_null()) << r.dtype.value_or("");
    EXPECT_EQ(r.params.value("theoretical_peak_missing", ""), "a software device has no GPU architecture") << r.dtype.value_or("");
  }
  // The suite's canonical order: fp32, bf16, then int8.
  EXPECT_EQ(results[0].check, kCheckPassed);
  EXPECT_EQ(results[0].device, "gpu0");
  EXPECT_EQ(results[1].check.rfind("unsupported: ", 0), 0u) << results[1].check;
  EXPECT_EQ(results[2].check, kCheckPassed);  // int8: the dot-product kernel through the suite
  EXPECT_NE(results[2].params["convention"].get<std::string>().find("a packed 4 x 8-bit dot product counts 8"),
            std::string::npos);
}

}  // namespace
}  // namespace specgap::test
