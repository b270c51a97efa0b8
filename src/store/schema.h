#pragma once
// The database layout and the settings every connection uses.
#include <sqlite3.h>

#include <string>

namespace specgap::store {

// PRAGMA user_version of the layout below; a file with a higher one was written by a newer specgap.
inline constexpr int kSchemaVersion = 2;  // 2: telemetry
// How long a writer waits for another process's lock before giving up.
inline constexpr int kBusyTimeoutMs = 5000;

// WAL, synchronous=NORMAL, foreign keys, busy timeout, extended result codes. Throws
// specgap::Error naming `path` when WAL is refused, SqliteError when SQLite fails.
void configure_connection(sqlite3* db, const std::string& path);

// Creates the tables, or checks that an existing file holds ours, inside one committed write
// transaction; the write is what proves the file is writable before anything is measured. Throws
// specgap::Error for a file that is not ours, SqliteError when SQLite fails.
void ensure_schema(sqlite3* db, const std::string& path);

}  // namespace specgap::store
