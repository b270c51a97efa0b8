#include "store/sqlite_util.h"

#include <cmath>
#include <cstring>

namespace specgap::store {

void throw_sqlite_error(sqlite3* db, int rc) {
  if (db == nullptr) throw SqliteError(rc, sqlite3_errstr(rc));
  const int code = sqlite3_extended_errcode(db);
  std::string message = sqlite3_errmsg(db);
  // SQLite samples errno only after the failing call, so later calls may have reset it to 0; it is
  // worth showing for a failed open ("Is a directory") but cannot be relied on to classify errors.
  const int primary = code & 0xff;
  if (primary == SQLITE_IOERR || primary == SQLITE_CANTOPEN) {
    if (const int err = sqlite3_system_errno(db); err != 0)
      message += ": " + std::string(std::strerror(err));
  }
  throw SqliteError(code, message);
}

void exec(sqlite3* db, const char* sql) {
  const int rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) throw_sqlite_error(db, rc);
}

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db) {
  const int rc = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr);
  if (rc != SQLITE_OK) throw_sqlite_error(db, rc);
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

void Statement::check_bind(int rc) {
  if (rc != SQLITE_OK) throw_sqlite_error(db_, rc);
}

Statement& Statement::bind_text(int index, std::string_view value) {
  check_bind(
      sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
  return *this;
}

Statement& Statement::bind_int64(int index, int64_t value) {
  check_bind(sqlite3_bind_int64(stmt_, index, value));
  return *this;
}

Statement& Statement::bind_double(int index, double value) {
  check_bind(sqlite3_bind_double(stmt_, index, value));
  return *this;
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  throw_sqlite_error(db_, rc);
}

void Statement::run() {
  while (step()) {
  }
}

std::string Statement::column_text(int col) const {
  const auto* text = sqlite3_column_text(stmt_, col);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, col)));
}

int64_t Statement::column_int64(int col) const { return sqlite3_column_int64(stmt_, col); }

double Statement::column_double(int col) const {
  if (column_is_null(col)) return std::nan("");
  return sqlite3_column_double(stmt_, col);
}

bool Statement::column_is_null(int col) const {
  return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
}

Transaction::Transaction(sqlite3* db) : db_(db) { exec(db, "BEGIN IMMEDIATE"); }

Transaction::~Transaction() {
  // After some errors (a full disk among them) SQLite has already rolled back on its own.
  if (!committed_ && sqlite3_get_autocommit(db_) == 0) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
}

void Transaction::commit() {
  exec(db_, "COMMIT");
  committed_ = true;
}

}  // namespace specgap::store
