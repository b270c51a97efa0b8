#pragma once
// Turns SQLite and file-system failures into the one-line, user-facing specgap::Error the CLI
// prints: the database path, the reason, and a hint when the fix is known.
#include <string>

#include "core/error.h"
#include "store/sqlite_util.h"

namespace specgap::store {

// The database cannot be opened or prepared: "cannot use results database PATH: REASON (hint)".
Error open_error(const std::string& path, const std::string& reason);
// A file that is not a specgap database: "PATH is not a specgap results database: REASON (hint)".
Error not_ours_error(const std::string& path, const std::string& reason);
// A SQLite failure while opening; a foreign or corrupt file gets its own wording.
Error open_error(const std::string& path, const SqliteError& e);
// No run has this id.
Error unknown_run_error(const std::string& path, const std::string& run_id);
// A SQLite failure while reading.
Error read_error(const std::string& path, const SqliteError& e);
// A SQLite failure while writing to `run_id`; says how many samples the run keeps.
Error write_error(sqlite3* db, const std::string& path, const std::string& run_id,
                  const SqliteError& e);

// Runs `read` and rethrows a SQLite failure as read_error.
template <class F>
auto read_or_throw(const std::string& path, F&& read) -> decltype(read()) {
  try {
    return read();
  } catch (const SqliteError& e) {
    throw read_error(path, e);
  }
}

// Runs `write` and rethrows a SQLite failure as write_error.
template <class F>
void write_or_throw(sqlite3* db, const std::string& path, const std::string& run_id, F&& write) {
  try {
    write();
  } catch (const SqliteError& e) {
    throw write_error(db, path, run_id, e);
  }
}

}  // namespace specgap::store
