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

// lavapipe's kernels behind the record of a real GPU at a PCI address, whose theoretical peak is
// 2 TFLOP/s per GHz of the clock it is given.
class GpuWithAddress : public backends::Device {
 public:
  explicit GpuWithAddress(backends::Device& inner) : inner_(inner), info_(inner.info()) {
    info_.kind = "gpu";
    info_.pci_address = "0000:3c:00.0";
  }
  const backends::DeviceInfo& info() const override { return info_; }
  std::unique_ptr<backends::StreamArrays> stream_arrays(const backends::StreamRequest& r) override {
    return inner_.stream_arrays(r);
  }
  backends::Offer transfers(backends::Transfer t, uint64_t bytes) override { return inner_.transfers(t, bytes); }
  backends::Offer peak(const backends::PeakRequest& r) override { return inner_.peak(r); }
  backends::Offer gemm(const backends::GemmRequest& r) override { return inner_.gemm(r); }
  nlohmann::json theoretical_peak(const backends::PeakRequest&, double clock_ghz) const override {
    if (clock_ghz <= 0) return {{"missing", "clock unknown"}};
    return {{"value", 2.0 * clock_ghz}, {"formula", "2 TFLOP/s per GHz"}};
  }

 private:
  backends::Device& inner_;
  backends::DeviceInfo info_;
};

// Telemetry that saw gpu1 (0000:3c:00.0) at 1500 MHz whenever asked, gpu0 at 900.
class SteadyFeed : public TelemetryFeed {
 public:
  SteadyFeed() { info_.gpu_pci = {"0000:3b:00.0", "0000:3c:00.0"}; }
  double now() const override { return 0; }
  double at(int64_t ns) const override { return double(ns) * 1e-9; }
  std::vector<TelemetryTick> between(double from, double to) const override {
    std::vector<TelemetryTick> out;
    for (double t = from; t <= to; t += 0.001) out.push_back({t, {{"gpu0.sm_clock_mhz", 900}, {"gpu1.sm_clock_mhz", 1500}}});
    return out;
  }
  const TelemetryInfo& info() const override { return info_; }

 private:
  TelemetryInfo info_;
};

class SinkWithTelemetry : public RecordingSink {
 public:
  const TelemetryFeed* telemetry() const override { return feed; }
  const TelemetryFeed* feed = nullptr;
};

TEST(VulkanDeviceCompute, AGpusTheoreticalPeakIsAtTheClockItsTelemetrySawDuringThePeak) {
  SPECGAP_NEED_LAVAPIPE(device);
  GpuWithAddress gpu(*device);
  suites::PeakConfig c;
  c.dtypes = {Dtype::fp32};
  c.reps = 2;
  c.rep_seconds = 0.005;
  SteadyFeed feed;
  SinkWithTelemetry sink;
  sink.feed = &feed;
  const Result r = suites::measure_peak(gpu, c, sink).at(0);
  ASSERT_EQ(r.check, kCheckPassed);
  EXPECT_DOUBLE_EQ(r.params["clock_ghz"].get<double>(), 1.5) << "the clock of gpu1, not gpu0";
  EXPECT_NE(r.params["clock_source"].get<std::string>().find("telemetry gpu1.sm_clock_mhz"), std::string::npos);
  EXPECT_DOUBLE_EQ(r.params["theoretical_peak"]["value"].get<double>(), 3.0);

  // Without telemetry there is no clock, and the result says why.
  sink.feed = nullptr;
  const Result blind = suites::measure_peak(gpu, c, sink).at(0);
  EXPECT_TRUE(blind.params["theoretical_peak"].is_null());
  EXPECT_EQ(blind.params.value("theoretical_peak_missing", ""), "clock unknown: telemetry was off");
  EXPECT_FALSE(blind.params.contains("clock_ghz"));
}

}  // namespace
}  // namespace specgap::test
