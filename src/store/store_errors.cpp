#include "store/store_errors.h"

#include <fmt/format.h>

#include "store/schema.h"

namespace specgap::store {
namespace {

constexpr const char* kMoveHint = "set --db or SPECGAP_DB to another file";

bool is_foreign_file(const SqliteError& e) {
  return e.primary_code() == SQLITE_NOTADB || e.primary_code() == SQLITE_CORRUPT;
}

Error locked_error(const std::string& path) {
  return Error(fmt::format(
      "results database {} stayed locked by another process for {} ms (try again, or {})", path,
      kBusyTimeoutMs, kMoveHint));
}

// Counting reads committed pages only, so it works even after the write failed for lack of space.
std::string stored_samples(sqlite3* db, const std::string& run_id) {
  try {
    Statement count(db, "SELECT COUNT(*) FROM samples WHERE run_id = ?1");
    count.bind_text(1, run_id);
    count.step();
    return fmt::format("the run keeps its {} stored samples", count.column_int64(0));
  } catch (const SqliteError&) {
    return "the samples stored before this one are kept";
  }
}

}  // namespace

Error open_error(const std::string& path, const std::string& reason) {
  return Error(
      fmt::format("cannot use results database {}: {} (set --db or SPECGAP_DB to a writable file)",
                  path, reason));
}

Error not_ours_error(const std::string& path, const std::string& reason) {
  return Error(fmt::format("{} is not a specgap results database: {} (move it aside, or {})", path,
                           reason, kMoveHint));
}

Error open_error(const std::string& path, const SqliteError& e) {
  if (is_foreign_file(e)) return not_ours_error(path, e.what());
  if (e.primary_code() == SQLITE_BUSY) return locked_error(path);
  return open_error(path, e.what());
}

Error unknown_run_error(const std::string& path, const std::string& run_id) {
  return Error(fmt::format("no run '{}' in results database {}", run_id, path));
}

Error read_error(const std::string& path, const SqliteError& e) {
  if (is_foreign_file(e)) return not_ours_error(path, e.what());
  if (e.primary_code() == SQLITE_BUSY) return locked_error(path);
  return Error(fmt::format("cannot read results database {}: {}", path, e.what()));
}

Error write_error(sqlite3* db, const std::string& path, const std::string& run_id,
                  const SqliteError& e) {
  if (e.primary_code() == SQLITE_FULL) {
    return Error(fmt::format("disk full while writing results to {}: {} (free some space, or {})",
                             path, stored_samples(db, run_id), kMoveHint));
  }
  // A file-size limit (EFBIG) or a quota comes back as a plain I/O error, and SQLite does not keep
  // the errno reliably enough to tell it from a failing disk, so the message names both.
  if (e.primary_code() == SQLITE_IOERR) {
    return Error(fmt::format(
        "disk full or failing while writing results to {} ({}): {} (free some space, or {})", path,
        e.what(), stored_samples(db, run_id), kMoveHint));
  }
  if (e.code() == SQLITE_CONSTRAINT_FOREIGNKEY) return unknown_run_error(path, run_id);
  if (e.code() == SQLITE_CONSTRAINT_PRIMARYKEY) {
    return Error(fmt::format("run '{}' already exists in results database {}", run_id, path));
  }
  if (is_foreign_file(e)) return not_ours_error(path, e.what());
  if (e.primary_code() == SQLITE_BUSY) return locked_error(path);
  return Error(fmt::format("cannot write results to {}: {}", path, e.what()));
}

}  // namespace specgap::store
