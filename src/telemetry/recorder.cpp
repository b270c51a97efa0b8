#include "telemetry/recorder.h"

#include <time.h>

#include <chrono>

#include "core/clock.h"

namespace specgap::telemetry {

Recorder::Recorder(SamplerSet samplers, double hz, std::function<void(const TelemetryTick&)> on_tick)
    : samplers_(std::move(samplers)), on_tick_(std::move(on_tick)), start_ns_(monotonic_ns()) {
  info_.hz = hz;
  info_.sources = samplers_.names();
  info_.unavailable = samplers_.unavailable;
  info_.gpu_pci = samplers_.gpu_pci;
  tick();  // the counters that need two readings (energy, /proc/stat) start from here
  thread_ = std::thread([this] { loop(); });
}

Recorder::~Recorder() {
  try {
    stop();
  } catch (...) {
    // A failure of the callback was already the caller's to collect through stop().
  }
}

double Recorder::now() const { return at(monotonic_ns()); }

double Recorder::at(int64_t ns) const { return double(ns - start_ns_) * 1e-9; }

void Recorder::tick() {
  TelemetryTick t;
  t.t = now();
  for (auto& s : samplers_.samplers) s->read(t.readings);
  {
    std::lock_guard lock(mutex_);
    timeline_.push_back(t);
  }
  on_tick_(t);
}

namespace {
double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}
}  // namespace

void Recorder::loop() {
  const auto period = std::chrono::nanoseconds(int64_t(1e9 / info_.hz));
  auto next = std::chrono::steady_clock::now() + period;
  try {
    for (;;) {
      {
        std::unique_lock lock(mutex_);
        if (wake_.wait_until(lock, next, [&] { return stopping_; })) break;
      }
      tick();
      // A late tick (the machine was saturated) is not made up for with a burst.
      next += period;
      if (const auto now = std::chrono::steady_clock::now(); next < now) next = now + period;
    }
    tick();
  } catch (...) {
    std::lock_guard lock(mutex_);
    failure_ = std::current_exception();
  }
  std::lock_guard lock(mutex_);
  info_.cpu_seconds = thread_cpu_seconds();
  info_.wall_seconds = now();
}

void Recorder::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  std::exception_ptr failure;
  {
    std::lock_guard lock(mutex_);
    std::swap(failure, failure_);
  }
  if (failure) std::rethrow_exception(failure);
}

std::vector<TelemetryTick> Recorder::between(double from, double to) const {
  std::lock_guard lock(mutex_);
  std::vector<TelemetryTick> out;
  for (auto& t : timeline_)
    if (t.t >= from && t.t <= to) out.push_back(t);
  return out;
}

}  // namespace specgap::telemetry
