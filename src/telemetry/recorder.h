#pragma once
// Samples every source at a fixed rate on its own thread, beside whatever the run measures, and hands
// each tick to a callback (the CLI stores it at once) while keeping the timeline for the suites.
// The thread sleeps between ticks and is not pinned: at 10 Hz it costs a few reads of small files.
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "core/telemetry.h"
#include "telemetry/sampler.h"

namespace specgap::telemetry {

class Recorder : public TelemetryFeed {
 public:
  // Starts sampling at once (the first tick is taken before the constructor returns). `on_tick` runs
  // on the sampling thread; an exception from it stops the sampling and is kept for stop().
  Recorder(SamplerSet samplers, double hz, std::function<void(const TelemetryTick&)> on_tick);
  ~Recorder() override;
  Recorder(const Recorder&) = delete;
  Recorder& operator=(const Recorder&) = delete;

  // Stops the thread after one last tick. Rethrows the callback's exception, if there was one.
  void stop();

  double now() const override;
  // The time on this clock (seconds since sampling started) of a monotonic_ns() reading.
  double at(int64_t monotonic_ns) const override;
  std::vector<TelemetryTick> between(double from, double to) const override;
  // After stop(), cpu_seconds and wall_seconds say what the sampling thread cost.
  const TelemetryInfo& info() const override { return info_; }

 private:
  void tick();
  void loop();

  SamplerSet samplers_;
  TelemetryInfo info_;
  std::function<void(const TelemetryTick&)> on_tick_;
  int64_t start_ns_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::exception_ptr failure_;
  std::vector<TelemetryTick> timeline_;
  std::thread thread_;
};

}  // namespace specgap::telemetry
