// Runs left 'running' by a process that died (crash, kill -9, reboot) are marked interrupted, so
// the next start can report them. Runs whose owner still lives are never touched: another specgap
// may be writing to the same database right now.
#include <fmt/format.h>

#include "store/process_liveness.h"
#include "store/run_status.h"
#include "store/sqlite_util.h"
#include "store/store.h"
#include "store/store_errors.h"

namespace specgap {
namespace {

struct OrphanCandidate {
  std::string run_id;
  store::ProcessIdentity owner;
  std::string command, started_at;
};

std::vector<OrphanCandidate> running_runs(sqlite3* db) {
  store::Statement select(db, R"sql(
    SELECT run_id, owner_pid, owner_start_ticks, owner_boot_id, command, started_at FROM runs
    WHERE status = ?1 ORDER BY started_at, run_id)sql");
  select.bind_text(1, store::kStatusRunning);
  std::vector<OrphanCandidate> runs;
  while (select.step()) {
    runs.push_back({select.column_text(0),
                    {select.column_int64(1), select.column_int64(2), select.column_text(3)},
                    select.column_text(4), select.column_text(5)});
  }
  return runs;
}

// Marks one run interrupted, its end set to its last stored row (ISO-8601 strings sort by time).
// Returns nullopt when another process finished or recovered it first.
std::optional<InterruptedRun> mark_interrupted(sqlite3* db, const OrphanCandidate& run) {
  store::Transaction tx(db);
  store::Statement activity(db, R"sql(
    SELECT COALESCE((SELECT MAX(at) FROM (SELECT at FROM samples WHERE run_id = ?1
                                          UNION ALL
                                          SELECT at FROM results WHERE run_id = ?1)),
                    started_at),
           (SELECT COUNT(*) FROM samples WHERE run_id = ?1)
    FROM runs WHERE run_id = ?1)sql");
  activity.bind_text(1, run.run_id);
  if (!activity.step()) return std::nullopt;
  InterruptedRun interrupted{run.run_id, activity.column_text(0), activity.column_int64(1)};
  interrupted.command = run.command;
  interrupted.started_at = run.started_at;
  const std::string boot = store::current_boot_id();
  interrupted.rebooted = !boot.empty() && !run.owner.boot_id.empty() && boot != run.owner.boot_id;

  store::Statement update(db, R"sql(
    UPDATE runs SET status = ?2, finished_at = ?3, error = ?4
    WHERE run_id = ?1 AND status = ?5)sql");
  update.bind_text(1, run.run_id)
      .bind_text(2, store::kStatusInterrupted)
      .bind_text(3, interrupted.last_activity)
      .bind_text(4, interrupted.rebooted
                        ? fmt::format("the machine rebooted while specgap process {} ran it", run.owner.pid)
                        : fmt::format("specgap process {} ended before the run finished", run.owner.pid))
      .bind_text(5, store::kStatusRunning)
      .run();
  if (sqlite3_changes(db) == 0) return std::nullopt;
  tx.commit();
  return interrupted;
}

}  // namespace

std::vector<InterruptedRun> Store::recover_interrupted() {
  const auto candidates = store::read_or_throw(path_, [&] { return running_runs(db_.get()); });
  std::vector<InterruptedRun> recovered;
  for (const auto& run : candidates) {
    if (store::process_is_alive(run.owner)) continue;
    store::write_or_throw(db_.get(), path_, run.run_id, [&] {
      if (auto interrupted = mark_interrupted(db_.get(), run)) {
        recovered.push_back(std::move(*interrupted));
      }
    });
  }
  return recovered;
}

}  // namespace specgap
