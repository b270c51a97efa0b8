#include "cli/session.h"

#include <unistd.h>

#include <cstdio>

#include "core/build_info.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/interrupt.h"

namespace specgap::cli {

std::unique_ptr<Store> open_store(const GlobalOptions& g, Store::Use use) {
  auto store = std::make_unique<Store>(g.db.empty() ? Store::default_path() : g.db, use);
  for (auto& r : store->recover_interrupted())
    std::fprintf(stderr, "specgap: run %s was interrupted at %s, %lld samples kept (specgap show %s)\n",
                 r.run_id.c_str(), r.last_activity.c_str(), static_cast<long long>(r.samples), r.run_id.c_str());
  return store;
}

Session::Session(const GlobalOptions& g, const Machine& machine) : g_(g), tty_(isatty(STDERR_FILENO)) {
  store_ = open_store(g);
  run_.run_id = new_run_id();
  run_.started_at = utc_now_iso8601();
  run_.status = "running";
  run_.command = g.command_line;
  run_.specgap_version = std::string(build::version) + " (" + build::git + ")";
  run_.machine = to_json(machine);
  store_->begin_run(run_);
}

void Session::sample(const Sample& s) {
  store_->add_sample(run_.run_id, s);
  ++run_.samples;
}

void Session::result(const Result& r) {
  store_->add_result(run_.run_id, r);
  run_.results.push_back(r);
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
  bool any_failed = false;
  for (auto& r : run_.results) any_failed |= specgap::check_failed(r.check);
  std::fputs(report::render_run(run_, g_.format()).c_str(), stdout);
  std::fflush(stdout);
  if (run_.status == "interrupted")
    std::fprintf(stderr, "specgap: interrupted; run %s keeps its %lld samples\n", run_.run_id.c_str(),
                 static_cast<long long>(run_.samples));
  else if (run_.status == "failed")
    std::fprintf(stderr, "specgap: %s (run %s keeps its %lld samples)\n", run_.error.c_str(), run_.run_id.c_str(),
                 static_cast<long long>(run_.samples));
  if (any_failed) {
    std::fprintf(stderr, "specgap: a kernel failed its output check; see the check column\n");
    if (code == kExitOk) code = kExitFailure;
  }
  return code;
}

}  // namespace specgap::cli
