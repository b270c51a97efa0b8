// A device's theoretical peak in the peak result's params: the value and formula where compute units,
// clock and rate are all known, else the first thing missing.
#include <gtest/gtest.h>

#include "backends/vulkan/theoretical_peak.h"

namespace specgap::vulkan {
namespace {

backends::DeviceInfo rtx4090() {
  backends::DeviceInfo d;
  d.id = "gpu0";
  d.kind = "gpu";
  d.vendor = "NVIDIA";
  d.name = "NVIDIA GeForce RTX 4090";
  d.compute_units = 128;
  d.clock_mhz = 2520;
  return d;
}

TEST(DevicePeakTheory, KnownUnitsClockAndRateGiveThePeak) {
  const auto t = theoretical_peak_of(rtx4090(), Dtype::fp32, 0);
  ASSERT_FALSE(t.contains("missing")) << t.dump();
  EXPECT_NEAR(t["value"].get<double>(), 82.58, 0.01);
  EXPECT_EQ(t["ops_per_cycle_per_compute_unit"], 256);
  EXPECT_EQ(t["compute_unit"], "SM");
  EXPECT_EQ(t["confidence"], "derived");
  EXPECT_EQ(t["formula"], "128 SM x 2.520 GHz x 256 FLOP/clock/SM = 82.6 TFLOP/s");
  EXPECT_NE(t["source"].get<std::string>().find("gpu.md"), std::string::npos);
}

TEST(DevicePeakTheory, AClockTheKernelsMeasuredWinsOverTheRecordsOne) {
  const auto t = theoretical_peak_of(rtx4090(), Dtype::fp32, 2.0);
  EXPECT_EQ(t["formula"], "128 SM x 2.000 GHz x 256 FLOP/clock/SM = 65.5 TFLOP/s");
}

TEST(DevicePeakTheory, EachMissingPieceIsNamed) {
  backends::DeviceInfo d = rtx4090();
  d.clock_mhz = 0;
  EXPECT_EQ(theoretical_peak_of(d, Dtype::fp32, 0)["missing"], "clock unknown");
  d.compute_units = 0;
  EXPECT_EQ(theoretical_peak_of(d, Dtype::fp32, 0)["missing"], "compute-unit count unknown");
  EXPECT_FALSE(theoretical_peak_of(d, Dtype::fp32, 0).contains("value"));

  // NVIDIA's Vulkan int8 dot rate is unverified (vulkan.md 4): no row, whatever else is known.
  EXPECT_EQ(theoretical_peak_of(rtx4090(), Dtype::int8, 0)["missing"],
            "no sourced int8 vector rate for NVIDIA Ada (AD10x, GeForce RTX 40)");

  backends::DeviceInfo other = rtx4090();
  other.name = "NVIDIA GeForce GTX 1080";
  EXPECT_EQ(theoretical_peak_of(other, Dtype::fp32, 0)["missing"].get<std::string>().rfind("architecture not in the table", 0),
            0u);
}

TEST(DevicePeakTheory, ASoftwareDeviceNeverHasOne) {
  backends::DeviceInfo d = rtx4090();  // even one that claims a GPU's name, units and clock
  d.kind = "software";
  EXPECT_EQ(theoretical_peak_of(d, Dtype::fp32, 0), (nlohmann::json{{"missing", "a software device has no GPU architecture"}}));
}

}  // namespace
}  // namespace specgap::vulkan
