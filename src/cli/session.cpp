#include "cli/session.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "analysis/efficiency.h"
#include "cli/stopped_runs.h"
#include "core/build_info.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/interrupt.h"

namespace specgap::cli {

std::unique_ptr<Store> open_store(const GlobalOptions& g, Store::Use use) {
  auto store = std::make_unique<Store>(g.db.empty() ? Store::default_path() : g.db, use);
  for (auto& r : store->recover_interrupted())
    std::fprintf(stderr, "specgap: %s\n", describe_interrupted(*store, r).c_str());
  return store;
}

Session::Session(const GlobalOptions& g, const Machine& machine, const nlohmann::json& devices)
    : g_(g), tty_(isatty(STDERR_FILENO)) {
  store_ = open_store(g);
  run_.run_id = new_run_id();
  run_.started_at = utc_now_iso8601();
  run_.status = "running";
  run_.command = g.command_line;
  run_.specgap_version = std::string(build::version) + " (" + build::git + ")";
  run_.machine = to_json(machine);
  if (devices.is_array()) run_.machine["devices"] = devices;
  store_->begin_run(run_);
  if (g.sample_hz > 0) {
    auto samplers = telemetry::machine_samplers();
    run_.telemetry.hz = g.sample_hz;
    run_.telemetry.sources = samplers.names();
    run_.telemetry.unavailable = samplers.unavailable;
    run_.telemetry.gpu_pci = samplers.gpu_pci;
    store_->set_telemetry_info(run_.run_id, run_.telemetry);
    recorder_ = std::make_unique<telemetry::Recorder>(std::move(samplers), g.sample_hz, [this](const TelemetryTick& t) {
      std::lock_guard lock(store_mutex_);
      store_->add_telemetry(run_.run_id, t);
    });
  }
}

void Session::sample(const Sample& s) {
  std::lock_guard lock(store_mutex_);
  store_->add_sample(run_.run_id, s);
  ++run_.samples;
}

void Session::result(const Result& r) {
  Result with_power = r;
  if (recorder_) {
    // Power over the result's own timed work, as the suite states it: a suite may emit its results
    // after all of its repetitions, with other results' work between (llm, compute peak).
    std::vector<analysis::TimeWindow> windows;
    double seconds = 0;
    for (const TimedSpan& s : r.timed) {
      windows.push_back({recorder_->at(s.begin_ns), recorder_->at(s.end_ns)});
      seconds += windows.back().to - windows.back().from;
    }
    std::vector<TelemetryTick> ticks;
    if (!windows.empty()) {
      double from = windows.front().from, to = windows.front().to;
      for (const auto& w : windows) from = std::min(from, w.from), to = std::max(to, w.to);
      // From two sampling periods earlier, so that the first tick inside has the one before it.
      ticks = analysis::ticks_within(recorder_->between(from - 2 / run_.telemetry.hz, to), windows);
    }
    with_power.params["power"] = analysis::power_during(r, ticks, run_.telemetry, seconds);
  }
  std::lock_guard lock(store_mutex_);
  store_->add_result(run_.run_id, with_power);
  run_.results.push_back(with_power);
}

std::string Session::stop_telemetry() {
  if (!recorder_) return "";
  std::string failure;
  try {
    recorder_->stop();
  } catch (const std::exception& e) {
    failure = std::string("telemetry could not be stored: ") + e.what();
  }
  run_.timeline = recorder_->between(-1e300, 1e300);
  run_.telemetry = recorder_->info();
  try {
    std::lock_guard lock(store_mutex_);
    store_->set_telemetry_info(run_.run_id, run_.telemetry);
  } catch (const Error& e) {
    if (failure.empty()) failure = std::string("telemetry could not be stored: ") + e.what();
  }
  return failure;
}

void Session::progress(const std::string& line) {
  if (!tty_) return;
  std::fprintf(stderr, "\r\033[K%s", line.c_str());
  std::fflush(stderr);
  progress_shown_ = true;
}

void Session::clear_progress() {
  if (progress_shown_) std::fputs("\r\033[K", stderr);
  progress_shown_ = false;
}

int Session::run(const std::function<void(RunSink&)>& measure) {
  int code = kExitOk;
  try {
    measure(*this);
    run_.status = "complete";
  } catch (const Interrupted& e) {
    run_.status = "interrupted";
    code = e.exit_code();
  } catch (const Error& e) {
    run_.status = "failed";
    run_.error = e.what();
    code = e.exit_code();
  } catch (const std::exception& e) {
    run_.status = "failed";
    run_.error = e.what();
    code = kExitFailure;
  }
  clear_progress();
  if (const std::string failure = stop_telemetry(); !failure.empty() && run_.status == "complete") {
    run_.status = "failed";
    run_.error = failure;
    code = kExitFailure;
  }
  run_.finished_at = utc_now_iso8601();
  try {
    store_->finish_run(run_.run_id, run_.status, run_.error);
  } catch (const Error& e) {
    // The disk may be the very thing that failed. The run stays 'running' in the store, and the next
    // start reports it as interrupted; say it once, with the first error kept as the reason.
    if (run_.status == "complete") {
      run_.status = "failed";
      run_.error = std::string("could not close the run: ") + e.what();
      code = kExitFailure;
    }
  }
  try {
    add_stopped_soak(run_, *store_);
  } catch (const Error&) {
    // Reading back what a failed run stored can fail as it did; the run's own error is the one to say.
  }
  // A device that failed as a whole (cli/device_choice.h) says so in its own line; a kernel's wrong
  // output is in the check column.
  bool any_failed = false;
  std::vector<std::string> device_faults;
  for (auto& r : run_.results) {
    if (!specgap::check_failed(r.check)) continue;
    if (r.name == "device") device_faults.push_back(r.check.substr(std::string("failed: ").size()));
    else any_failed = true;
  }
  if (print_tables_) std::fputs(report::render_run(run_, g_.format(), verdicts_).c_str(), stdout);
  std::fflush(stdout);
  if (run_.status == "interrupted")
    std::fprintf(stderr, "specgap: interrupted; run %s keeps its %lld samples\n", run_.run_id.c_str(),
                 static_cast<long long>(run_.samples));
  else if (run_.status == "failed")
    std::fprintf(stderr, "specgap: %s (run %s keeps its %lld samples)\n", run_.error.c_str(), run_.run_id.c_str(),
                 static_cast<long long>(run_.samples));
  for (auto& fault : device_faults) std::fprintf(stderr, "specgap: %s\n", fault.c_str());
  if (!device_faults.empty() && code == kExitOk) code = kExitFailure;
  if (any_failed) {
    std::fprintf(stderr, "specgap: a kernel failed its output check; see the check column\n");
    if (code == kExitOk) code = kExitFailure;
  }
  return code;
}

}  // namespace specgap::cli
