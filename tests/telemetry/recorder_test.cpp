// The recorder: ticks at the asked rate on its own thread, each handed to the callback as it is
// taken and kept for the suites; stop() ends it and surfaces a callback's failure.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "telemetry/recorder.h"

namespace specgap::telemetry {
namespace {

// A source whose reading counts its reads.
class Counter : public Sampler {
 public:
  std::string name() const override { return "counter"; }
  void read(Readings& out) override { out["test.reads_pct"] = ++reads_; }

 private:
  int reads_ = 0;
};

SamplerSet counting() {
  SamplerSet set;
  set.samplers.push_back(std::make_unique<Counter>());
  set.unavailable.push_back("temperatures: none in this test");
  return set;
}

TEST(Recorder, TicksAtTheRateAskedAndKeepsTheTimeline) {
  std::atomic<int> handed{0};
  Recorder r(counting(), 50, [&](const TelemetryTick&) { ++handed; });
  EXPECT_GE(handed.load(), 1) << "the first tick is taken at once";
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  r.stop();
  const auto all = r.between(-1, 1e9);
  EXPECT_EQ(int(all.size()), handed.load());
  // 50 Hz for 0.5 s: 25 ticks, plus the first and the last; a loaded machine may drop a few.
  EXPECT_GE(all.size(), 12u);
  EXPECT_LE(all.size(), 30u);
  for (size_t i = 1; i < all.size(); ++i) {
    EXPECT_GT(all[i].t, all[i - 1].t);
    EXPECT_DOUBLE_EQ(all[i].readings.at("test.reads_pct"), double(i + 1));
  }
  EXPECT_EQ(r.info().sources, std::vector<std::string>{"counter"});
  EXPECT_EQ(r.info().unavailable.size(), 1u);
  EXPECT_DOUBLE_EQ(r.info().hz, 50);
  const auto first = r.between(0, all[2].t);
  EXPECT_EQ(first.size(), 3u);
}

TEST(Recorder, ACallbackThatFailsStopsSamplingAndStopRethrows) {
  std::atomic<int> calls{0};
  Recorder r(counting(), 100, [&](const TelemetryTick&) {
    if (++calls == 3) throw std::runtime_error("disk full");
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_THROW(r.stop(), std::runtime_error);
  EXPECT_EQ(calls.load(), 3) << "no tick after the failure";
}

}  // namespace
}  // namespace specgap::telemetry
