#pragma once
// The results database: SQLite in WAL mode, one file. Every sample and result is committed as it
// lands, so a crash or kill -9 loses at most the one in flight, and the next open reports the run.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"

struct sqlite3;

namespace specgap {

struct RunSummary {
  std::string run_id;
  std::string started_at;
  std::string finished_at;  // empty if never finished
  std::string status;       // running, complete, interrupted, failed
  std::string command;
  int64_t results = 0;
  int64_t samples = 0;
};

// A run found unfinished at open: its process is gone, so it is marked interrupted.
struct InterruptedRun {
  std::string run_id;
  std::string last_activity;  // ISO-8601 UTC time of its last stored sample (or its start)
  int64_t samples = 0;
  // Added for the report of a stopped run: what was running, and whether the machine rebooted since
  // (its owner's boot id differs from this boot's) or only the process died.
  std::string command;
  std::string started_at;
  bool rebooted = false;
};

class Store {
 public:
  // Where the database lives: $SPECGAP_DB, else $XDG_DATA_HOME/specgap/results.db,
  // else $HOME/.local/share/specgap/results.db.
  static std::string default_path();

  // What the opener will do: record a run (needs room on the disk) or only read runs back.
  enum class Use { record, read };

  // Opens (creating the folder and schema). Throws specgap::Error with one line naming the path when
  // it cannot be created or written, or, to record, the disk has too little free space to hold a run
  // (a nearly full disk still lets `history` and `show` read what is there).
  explicit Store(const std::string& path, Use use = Use::record);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  const std::string& path() const { return path_; }

  // Marks runs left 'running' by a process that no longer exists as interrupted; returns them.
  std::vector<InterruptedRun> recover_interrupted();

  // Starts a run: status running, owned by this process. `run` gives id, started_at, command,
  // version and machine; its results are ignored.
  void begin_run(const RunRecord& run);
  // Each call is one committed transaction. Throws specgap::Error (e.g. "disk full") on failure.
  void add_sample(const std::string& run_id, const Sample& sample);
  void add_result(const std::string& run_id, const Result& result);
  // What the run's telemetry can see; written once, before its first tick.
  void set_telemetry_info(const std::string& run_id, const TelemetryInfo& info);
  // One committed transaction per tick, as samples.
  void add_telemetry(const std::string& run_id, const TelemetryTick& tick);
  // status: complete, interrupted or failed; error is one line for failed runs.
  void finish_run(const std::string& run_id, const std::string& status, const std::string& error = "");

  // Newest first; limit <= 0 lists them all.
  std::vector<RunSummary> list_runs(int limit = 50);
  // The whole run with its results; nullopt when no run has that id (a unique prefix also matches;
  // an ambiguous one throws specgap::UsageError naming how many runs it matches).
  std::optional<RunRecord> load_run(const std::string& run_id_or_prefix);
  // In the order they were written; empty for an unknown run.
  std::vector<Sample> load_samples(const std::string& run_id);
  // Ticks with t >= since, oldest first; empty for an unknown run.
  std::vector<TelemetryTick> load_telemetry(const std::string& run_id, double since = -1e300);

 private:
  // A member deleter rather than a raw pointer, so a constructor that throws still closes the file.
  struct Closer {
    void operator()(sqlite3* db) const noexcept;
  };

  std::string path_;
  std::unique_ptr<sqlite3, Closer> db_;
};

// A fresh run id: UTC time plus random hex, sortable, e.g. 20261125T093012Z-3f9a1c.
std::string new_run_id();

}  // namespace specgap
