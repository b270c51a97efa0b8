#include "harness/gpu_clock.h"

#include <gtest/gtest.h>

namespace specgap::harness {
namespace {

// A timeline where monotonic_ns n is t = n / 1e9 seconds, with GPU 1 at 0000:3c:00.0.
class Feed : public TelemetryFeed {
 public:
  Feed() { info_.gpu_pci = {"0000:3b:00.0", "0000:3c:00.0"}; }
  double now() const override { return 100; }
  double at(int64_t ns) const override { return double(ns) / 1e9; }
  std::vector<TelemetryTick> between(double from, double to) const override {
    std::vector<TelemetryTick> out;
    for (const auto& t : ticks)
      if (t.t >= from && t.t <= to) out.push_back(t);
    return out;
  }
  const TelemetryInfo& info() const override { return info_; }
  std::vector<TelemetryTick> ticks;
  TelemetryInfo info_;
};

TEST(GpuClock, TheMedianOfTheTicksInsideTheSpansOfTheGpuWithThatAddress) {
  Feed f;
  f.ticks = {{0.5, {{"gpu1.sm_clock_mhz", 500}}},  // idle, before the work
             {1.1, {{"gpu1.sm_clock_mhz", 1900}, {"gpu0.sm_clock_mhz", 300}}},
             {1.2, {{"gpu1.sm_clock_mhz", 1800}}},
             {1.3, {{"gpu1.sm_clock_mhz", 1700}}},
             {2.5, {{"gpu1.sm_clock_mhz", 600}}},  // between the spans
             {3.1, {{"gpu1.sm_clock_mhz", 1750}}}};
  const GpuClock g = gpu_clock_during(&f, "0000:3c:00.0", {{1'000'000'000, 1'400'000'000}, {3'000'000'000, 3'200'000'000}});
  ASSERT_TRUE(g.clock) << g.missing;
  EXPECT_DOUBLE_EQ(g.clock->median_mhz, 1775);
  EXPECT_DOUBLE_EQ(g.clock->min_mhz, 1700);
  EXPECT_DOUBLE_EQ(g.clock->max_mhz, 1900);
  EXPECT_EQ(g.clock->ticks, 4);
  EXPECT_EQ(g.clock->channel, "gpu1.sm_clock_mhz");
}

TEST(GpuClock, EachReasonForNoClockIsSaid) {
  Feed f;
  f.ticks = {{5.0, {{"gpu1.sm_clock_mhz", 1900}}}};
  const std::vector<TimedSpan> spans{{1'000'000'000, 2'000'000'000}};
  EXPECT_EQ(gpu_clock_during(nullptr, "0000:3c:00.0", spans).missing, "clock unknown: telemetry was off");
  EXPECT_EQ(gpu_clock_during(&f, "", spans).missing,
            "clock unknown: the device tells no PCI address to find its telemetry by");
  EXPECT_EQ(gpu_clock_during(&f, "0000:41:00.0", spans).missing,
            "clock unknown: no telemetry source reads the GPU at 0000:41:00.0");
  const GpuClock none = gpu_clock_during(&f, "0000:3c:00.0", spans);
  EXPECT_FALSE(none.clock);
  EXPECT_EQ(none.missing, "clock unknown: no gpu1.sm_clock_mhz tick fell inside the timed repetitions");
}

}  // namespace
}  // namespace specgap::harness
