#pragma once
// The audit's stages against its time budget: a sink that passes everything to the session and puts
// "[audit 3/6 compute | 2:41 left]" before every progress line, and the clock the audit asks before
// a stage whether it still fits. A stage that does not fit is skipped and named, never faked.
#include <chrono>
#include <string>
#include <vector>

#include "core/sink.h"

namespace specgap::cli {

class AuditProgress : public RunSink {
 public:
  AuditProgress(RunSink& inner, double budget_seconds, int stages);

  void sample(const Sample& s) override { inner_.sample(s); }
  void result(const Result& r) override { inner_.result(r); }
  void progress(const std::string& line) override;
  const TelemetryFeed* telemetry() const override { return inner_.telemetry(); }

  // Starts the next stage; its name leads every progress line until the next.
  void stage(const std::string& name);
  void skip(const std::string& why);  // the current stage does not run: said at the end of the audit
  double elapsed() const;
  double left() const;                // seconds of the budget left (negative once over)

  const std::vector<std::string>& skipped() const { return skipped_; }
  // "memory bandwidth 52 s, memory latency 14 s, ...; 4:58 in all, budget 5:00"
  std::string timings() const;

 private:
  RunSink& inner_;
  double budget_;
  int stages_, index_ = 0;
  std::string stage_;
  std::vector<std::string> skipped_;
  std::vector<std::pair<std::string, double>> began_;  // each stage and when it started
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace specgap::cli
