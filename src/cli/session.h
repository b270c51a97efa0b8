#pragma once
// A measuring run as the CLI drives it: opens the store (failing before anything is measured),
// reports runs a previous process left unfinished, records the run and every sample as it lands,
// draws progress on a terminal, and closes the run as complete, interrupted or failed.
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "cli/app.h"
#include "core/sink.h"
#include "probe/machine.h"
#include "store/store.h"
#include "telemetry/recorder.h"

namespace specgap::cli {

class Session : public RunSink {
 public:
  // `devices`, when given, is the machine record's list of every device the command opened
  // (DeviceInfo as JSON), so a result's device id ("gpu0") can be read back from the record alone.
  Session(const GlobalOptions& g, const Machine& machine, const nlohmann::json& devices = nullptr);

  void sample(const Sample& s) override;
  void result(const Result& r) override;
  void progress(const std::string& line) override;
  const TelemetryFeed* telemetry() const override { return recorder_.get(); }

  // Runs `measure`, closes the run and prints its tables (unless left to the report). Returns the exit
  // code: 0, 1 when a check failed or an error stopped the run, 130 when interrupted.
  int run(const std::function<void(RunSink&)>& measure);

  // The audit draws its findings after the run, with the one claim-vs-delivered table in them.
  void leave_verdicts_to_findings() { verdicts_ = report::Verdicts::in_findings; }
  // The audit's text is one screen (report/audit_summary.h): the run's tables are left to the HTML
  // report and `specgap report`, and run() prints none of them.
  void leave_tables_to_report() { print_tables_ = false; }

  // The run as stored, once run() returned (the audit reports on it); and where it is stored.
  const RunRecord& record() const { return run_; }
  const std::string& store_path() const { return store_->path(); }

 private:
  void clear_progress();
  // Stops the telemetry and keeps its timeline in the run; returns why it failed, "" when it did not.
  std::string stop_telemetry();

  report::Verdicts verdicts_ = report::Verdicts::shown;
  bool print_tables_ = true;
  const GlobalOptions& g_;
  std::unique_ptr<Store> store_;
  std::mutex store_mutex_;  // the telemetry thread writes ticks while the run writes samples
  RunRecord run_;
  std::unique_ptr<telemetry::Recorder> recorder_;
  bool tty_;
  bool progress_shown_ = false;
};

// Opens the store named by --db / SPECGAP_DB / the default, reporting interrupted runs on stderr.
std::unique_ptr<Store> open_store(const GlobalOptions& g, Store::Use use = Store::Use::record);

}  // namespace specgap::cli
