// A result's power is taken over the ticks wholly inside its own timed windows, so two results whose
// repetitions interleave each get the power of their own phases.
#include <gtest/gtest.h>

#include "analysis/efficiency.h"
#include "analysis/telemetry_channels.h"

namespace specgap::analysis {
namespace {

// A tick every 1/8 s from 0 to 2 s (exact in binary), each the mean power since the one before, as
// RAPL's are: phase A draws 100 W in [0, 0.5] and [1, 1.5], phase B 300 W in [0.5, 1] and [1.5, 2].
std::vector<TelemetryTick> two_phases() {
  std::vector<TelemetryTick> ticks;
  for (int i = 0; i <= 16; ++i) {
    const double t = i / 8.0, mid = t - 1 / 16.0;  // the middle of the interval the tick closes
    const bool a = mid < 0.5 || (mid > 1 && mid < 1.5);
    ticks.push_back({t, {{"rapl.package-0_w", a ? 100.0 : 300.0}}});
  }
  return ticks;
}

TEST(TicksWithin, EachPhaseGetsItsOwnPower) {
  const auto timeline = two_phases();
  const auto a = ticks_within(timeline, {{0, 0.5}, {1, 1.5}});
  const auto b = ticks_within(timeline, {{0.5, 1}, {1.5, 2}});
  EXPECT_EQ(a.size(), 8u) << "4 ticks close an interval inside each half second (the one at 0 closes none)";
  EXPECT_EQ(b.size(), 8u);
  EXPECT_DOUBLE_EQ(*mean_power_w(a), 100);
  EXPECT_DOUBLE_EQ(*mean_power_w(b), 300);
}

TEST(TicksWithin, ATickWhoseIntervalCrossesAWindowsEdgeIsLeftOut) {
  // The window [0.2, 0.8] holds the ticks at 0.25 .. 0.75, but only 0.375 .. 0.75 have their whole
  // interval inside it; the one at 0.875 closes an interval that ends outside.
  const auto ticks = ticks_within(two_phases(), {{0.2, 0.8}});
  ASSERT_EQ(ticks.size(), 4u);
  EXPECT_DOUBLE_EQ(ticks.front().t, 0.375);
  EXPECT_DOUBLE_EQ(ticks.back().t, 0.75);
  EXPECT_TRUE(ticks_within(two_phases(), {}).empty());
}

TEST(PowerDuring, SaysWhyWhenNoTickFellInsideOrTheResultWasNotTimed) {
  Result r;
  r.value = 10;
  r.unit = "GB/s";
  EXPECT_EQ(power_during(r, {}, {}, 0.05)["why"], "no telemetry tick fell wholly inside its timed repetitions");
  EXPECT_EQ(power_during(r, {}, {}, 0)["why"], "it has no timed work of its own");
}

// A rate per watt means something (tokens/J, GB/s per W); a time per watt (TTFT, TPOT in ms) does
// not: such a figure keeps its mean power and gets no efficiency.
TEST(PowerDuring, OnlyARateGetsAFigurePerWatt) {
  const std::vector<TelemetryTick> ticks = {{0.1, {{"rapl.package-0_w", 50.0}}}};
  Result rate;
  rate.value = 20;
  rate.unit = "tokens/s";
  const auto per_watt = power_during(rate, ticks, {}, 1);
  EXPECT_DOUBLE_EQ(per_watt["efficiency"].get<double>(), 0.4);
  EXPECT_EQ(per_watt["efficiency_unit"], "tokens/J");
  for (const char* unit : {"ms", "ns"}) {
    Result time;
    time.value = 80;
    time.unit = unit;
    const auto j = power_during(time, ticks, {}, 1);
    EXPECT_DOUBLE_EQ(j["mean_w"].get<double>(), 50) << unit;
    EXPECT_FALSE(j.contains("efficiency")) << unit << ": " << j;
  }
}

}  // namespace
}  // namespace specgap::analysis
