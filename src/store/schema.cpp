#include "store/schema.h"

#include <fmt/format.h>

#include "core/error.h"
#include "store/sqlite_util.h"
#include "store/store_errors.h"

namespace specgap::store {
namespace {

// owner_* identify the process writing a 'running' run (see process_liveness.h). `at` is ISO-8601
// UTC. samples and results are numbered per run by seq; UNIQUE(run_id, seq) is also the index that
// counting, ordering and "next seq" use.
constexpr const char* kSchemaSql = R"sql(
CREATE TABLE runs (
  run_id            TEXT PRIMARY KEY,
  started_at        TEXT NOT NULL,
  finished_at       TEXT,
  status            TEXT NOT NULL,
  command           TEXT NOT NULL,
  specgap_version   TEXT NOT NULL,
  error             TEXT NOT NULL DEFAULT '',
  machine_json      TEXT NOT NULL,
  owner_pid         INTEGER NOT NULL,
  owner_start_ticks INTEGER NOT NULL,
  owner_boot_id     TEXT NOT NULL,
  telemetry_json    TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX runs_by_status ON runs (status);
CREATE TABLE samples (
  id          INTEGER PRIMARY KEY,
  run_id      TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  seq         INTEGER NOT NULL,
  at          TEXT NOT NULL,
  suite       TEXT NOT NULL,
  name        TEXT NOT NULL,
  impl        TEXT NOT NULL,
  value       REAL,
  unit        TEXT NOT NULL,
  params_json TEXT NOT NULL,
  UNIQUE (run_id, seq)
);
CREATE TABLE results (
  id          INTEGER PRIMARY KEY,
  run_id      TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  seq         INTEGER NOT NULL,
  at          TEXT NOT NULL,
  record_json TEXT NOT NULL,
  UNIQUE (run_id, seq)
);
)sql";

// Schema 2: the telemetry timeline, one row per tick (t in seconds since the run started), and what
// the samplers could see, on the run. Applied to new files after the schema above and to files of
// schema 1 as they are opened.
constexpr const char* kTelemetrySql = R"sql(
CREATE TABLE telemetry (
  id            INTEGER PRIMARY KEY,
  run_id        TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  t             REAL NOT NULL,
  readings_json TEXT NOT NULL
);
CREATE INDEX telemetry_by_run ON telemetry (run_id, t);
)sql";

int64_t single_int(sqlite3* db, const char* sql) {
  Statement st(db, sql);
  st.step();
  return st.column_int64(0);
}

}  // namespace

void configure_connection(sqlite3* db, const std::string& path) {
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  // The first statement to read the file: a foreign or corrupt file fails here with SQLITE_NOTADB.
  Statement wal(db, "PRAGMA journal_mode = WAL");
  wal.step();
  const std::string mode = wal.column_text(0);
  if (mode != "wal") {
    throw open_error(path,
                     fmt::format("its file system keeps journal mode '{}' instead of 'wal'", mode));
  }
  // In WAL mode NORMAL syncs at checkpoints, not at every commit. A killed process loses nothing
  // committed (the WAL is in the OS page cache and replayed on the next open); only a power cut
  // can lose the last few commits, and it never corrupts the file. An fsync per sample would
  // disturb the measurements.
  exec(db, "PRAGMA synchronous = NORMAL");
  exec(db, "PRAGMA foreign_keys = ON");
}

void ensure_schema(sqlite3* db, const std::string& path) {
  Transaction tx(db);
  const int64_t version = single_int(db, "PRAGMA user_version");
  if (version > kSchemaVersion) {
    throw Error(
        fmt::format("results database {} was written by a newer specgap (schema {}, this one "
                    "reads {}); upgrade specgap or set --db or SPECGAP_DB to another file",
                    path, version, kSchemaVersion));
  }
  if (version == 0) {
    if (single_int(db, "SELECT COUNT(*) FROM sqlite_master") != 0) {
      throw not_ours_error(path, "it holds other tables");
    }
    exec(db, kSchemaSql);
  } else if (version == 1) {
    exec(db, "ALTER TABLE runs ADD COLUMN telemetry_json TEXT NOT NULL DEFAULT '{}'");
  }
  if (version < 2) exec(db, kTelemetrySql);
  // Rewritten on every open on purpose: setting user_version always rewrites the header page, so
  // this commit is a real write, and a file that cannot be written fails here, before anything is
  // measured, not at the first sample.
  exec(db, fmt::format("PRAGMA user_version = {}", kSchemaVersion).c_str());
  tx.commit();
}

}  // namespace specgap::store
