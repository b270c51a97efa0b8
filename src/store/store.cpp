// Opening the database and the writes a run makes as it goes: begin, one committed row per sample
// and result, finish.
#include "store/store.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "core/clock.h"
#include "store/location.h"
#include "store/process_liveness.h"
#include "store/run_status.h"
#include "store/schema.h"
#include "store/sqlite_util.h"
#include "store/store_errors.h"

namespace specgap {
namespace {

// Strings in params may hold bytes that are not UTF-8 (a CPU model read from firmware); keep the
// record and replace them instead of failing the whole run.
std::string dump_json(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

void Store::Closer::operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }

Store::Store(const std::string& path, Use use) : path_(path) {
  store::prepare_location(path_, use == Use::record ? store::kMinFreeBytes : 0);
  sqlite3* raw = nullptr;
  const int rc =
      sqlite3_open_v2(path_.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  db_.reset(raw);  // SQLite hands back a handle even when opening fails; it must still be closed
  try {
    if (rc != SQLITE_OK) store::throw_sqlite_error(raw, rc);
    // SQLite silently falls back to read-only when the file cannot be written.
    if (sqlite3_db_readonly(raw, "main") == 1)
      throw store::open_error(path_, "the file is read-only");
    store::configure_connection(raw, path_);
    store::ensure_schema(raw, path_);
  } catch (const store::SqliteError& e) {
    throw store::open_error(path_, e);
  }
}

Store::~Store() = default;

void Store::begin_run(const RunRecord& run) {
  if (run.run_id.empty()) throw Error("cannot begin a run without a run id");
  const store::ProcessIdentity owner = store::current_process();
  store::write_or_throw(db_.get(), path_, run.run_id, [&] {
    store::Statement insert(db_.get(), R"sql(
      INSERT INTO runs (run_id, started_at, status, command, specgap_version, machine_json,
                        owner_pid, owner_start_ticks, owner_boot_id)
      VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9))sql");
    insert.bind_text(1, run.run_id)
        .bind_text(2, run.started_at.empty() ? utc_now_iso8601() : run.started_at)
        .bind_text(3, store::kStatusRunning)
        .bind_text(4, run.command)
        .bind_text(5, run.specgap_version)
        .bind_text(6, dump_json(run.machine))
        .bind_int64(7, owner.pid)
        .bind_int64(8, owner.start_ticks)
        .bind_text(9, owner.boot_id)
        .run();
  });
}

// seq is computed inside the INSERT: a single write statement holds the write lock from its start,
// so the next number cannot race with another writer, and no counter has to live in this object.
void Store::add_sample(const std::string& run_id, const Sample& sample) {
  store::write_or_throw(db_.get(), path_, run_id, [&] {
    store::Statement insert(db_.get(), R"sql(
      INSERT INTO samples (run_id, seq, at, suite, name, impl, value, unit, params_json)
      VALUES (?1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM samples WHERE run_id = ?1),
              ?2, ?3, ?4, ?5, ?6, ?7, ?8))sql");
    insert.bind_text(1, run_id)
        .bind_text(2, utc_now_iso8601())
        .bind_text(3, sample.suite)
        .bind_text(4, sample.name)
        .bind_text(5, sample.impl)
        .bind_double(6, sample.value)
        .bind_text(7, sample.unit)
        .bind_text(8, dump_json(sample.params))
        .run();
  });
}

void Store::add_result(const std::string& run_id, const Result& result) {
  store::write_or_throw(db_.get(), path_, run_id, [&] {
    store::Statement insert(db_.get(), R"sql(
      INSERT INTO results (run_id, seq, at, record_json)
      VALUES (?1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM results WHERE run_id = ?1), ?2, ?3))sql");
    insert.bind_text(1, run_id)
        .bind_text(2, utc_now_iso8601())
        .bind_text(3, dump_json(to_json(result)))
        .run();
  });
}

void Store::set_telemetry_info(const std::string& run_id, const TelemetryInfo& info) {
  store::write_or_throw(db_.get(), path_, run_id, [&] {
    store::Statement update(db_.get(), "UPDATE runs SET telemetry_json = ?2 WHERE run_id = ?1");
    update.bind_text(1, run_id).bind_text(2, dump_json(to_json(info))).run();
  });
}

void Store::add_telemetry(const std::string& run_id, const TelemetryTick& tick) {
  store::write_or_throw(db_.get(), path_, run_id, [&] {
    store::Statement insert(db_.get(), "INSERT INTO telemetry (run_id, t, readings_json) VALUES (?1, ?2, ?3)");
    insert.bind_text(1, run_id).bind_double(2, tick.t).bind_text(3, dump_json(tick.readings)).run();
  });
}

void Store::finish_run(const std::string& run_id, const std::string& status,
                       const std::string& error) {
  constexpr std::array kFinished = {store::kStatusComplete, store::kStatusInterrupted,
                                    store::kStatusFailed};
  if (std::find(kFinished.begin(), kFinished.end(), status) == kFinished.end()) {
    throw Error(
        fmt::format("cannot finish run '{}' as '{}': the status must be complete, "
                    "interrupted or failed",
                    run_id, status));
  }
  store::write_or_throw(db_.get(), path_, run_id, [&] {
    store::Statement update(db_.get(), R"sql(
      UPDATE runs SET status = ?2, finished_at = ?3, error = ?4 WHERE run_id = ?1)sql");
    update.bind_text(1, run_id)
        .bind_text(2, status)
        .bind_text(3, utc_now_iso8601())
        .bind_text(4, error)
        .run();
  });
  if (sqlite3_changes(db_.get()) == 0) {
    throw store::unknown_run_error(path_, run_id);
  }
}

}  // namespace specgap
