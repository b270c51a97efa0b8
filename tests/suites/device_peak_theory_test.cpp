// A device's theoretical peak in the peak result's params: the value and formula where compute units,
// clock and rate are all known, else the first thing missing.
#include <gtest/gtest.h>

#include <cmath>

#include "suites/compute/device_peak_theory.h"

namespace specgap::suites {
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

TEST(DevicePeakTheory, KnownUnitsClockAndRateGiveThePeakAndFraction) {
  const DevicePeakTheory t = device_peak_theory(rtx4090(), Dtype::fp32, 41.3);
  ASSERT_FALSE(t.peak.is_null()) << t.missing;
  EXPECT_NEAR(t.peak["value"].get<double>(), 82.58, 0.01);
  EXPECT_NEAR(t.peak["fraction"].get<double>(), 41.3 / 82.58, 1e-3);
  EXPECT_EQ(t.peak["ops_per_cycle_per_compute_unit"], 256);
  EXPECT_EQ(t.peak["compute_unit"], "SM");
  EXPECT_EQ(t.peak["confidence"], "derived");
  EXPECT_EQ(t.peak["formula"], "128 SM x 2.520 GHz x 256 FLOP/clock/SM = 82.6 TFLOP/s");
  EXPECT_NE(t.peak["source"].get<std::string>().find("gpu.md"), std::string::npos);
}

TEST(DevicePeakTheory, AnUncheckedFigureHasNoFraction) {
  const DevicePeakTheory t = device_peak_theory(rtx4090(), Dtype::fp32, std::nan(""));
  ASSERT_FALSE(t.peak.is_null());
  EXPECT_TRUE(t.peak["fraction"].is_null());
}

TEST(DevicePeakTheory, EachMissingPieceIsNamed) {
  backends::DeviceInfo d = rtx4090();
  d.clock_mhz = 0;
  EXPECT_EQ(device_peak_theory(d, Dtype::fp32, 1).missing, "clock unknown");
  d.compute_units = 0;
  EXPECT_EQ(device_peak_theory(d, Dtype::fp32, 1).missing, "compute-unit count unknown");
  EXPECT_TRUE(device_peak_theory(d, Dtype::fp32, 1).peak.is_null());

  // NVIDIA's Vulkan int8 dot rate is unverified (vulkan.md 4): no row, whatever else is known.
  EXPECT_EQ(device_peak_theory(rtx4090(), Dtype::int8, 1).missing,
            "no sourced int8 vector rate for NVIDIA Ada (AD10x, GeForce RTX 40)");

  backends::DeviceInfo other = rtx4090();
  other.name = "NVIDIA GeForce GTX 1080";
  EXPECT_EQ(device_peak_theory(other, Dtype::fp32, 1).missing.rfind("architecture not in the table", 0), 0u);
}

TEST(DevicePeakTheory, ASoftwareDeviceNeverHasOne) {
  backends::DeviceInfo d = rtx4090();  // even one that claims a GPU's name, units and clock
  d.kind = "software";
  const DevicePeakTheory t = device_peak_theory(d, Dtype::fp32, 1);
  EXPECT_TRUE(t.peak.is_null());
  EXPECT_EQ(t.missing, "a software device has no GPU architecture");
}

}  // namespace
}  // namespace specgap::suites
