#pragma once
// Thin RAII over the SQLite C API: prepared statements with bound parameters (values never go into
// SQL text), write transactions, and one exception type that keeps SQLite's result code, so the
// store can tell a full disk from a foreign file and word its one-line error accordingly.
#include <sqlite3.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace specgap::store {

class SqliteError : public std::runtime_error {
 public:
  SqliteError(int code, const std::string& message) : std::runtime_error(message), code_(code) {}
  int code() const { return code_; }  // extended result code, e.g. SQLITE_IOERR_WRITE
  int primary_code() const { return code_ & 0xff; }  // e.g. SQLITE_IOERR

 private:
  int code_;
};

// Throws the connection's current error for `rc`; `db` may be null (open ran out of memory).
[[noreturn]] void throw_sqlite_error(sqlite3* db, int rc);

// Runs fixed SQL that carries no values (pragmas, DDL); several statements are allowed.
void exec(sqlite3* db, const char* sql);

class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Parameters are 1-based, as in SQLite's ?1, ?2, ...
  Statement& bind_text(int index, std::string_view value);
  Statement& bind_int64(int index, int64_t value);
  Statement& bind_double(int index, double value);

  // True while a row is ready to read; false once the statement is done.
  bool step();
  // Executes a statement that returns no rows (INSERT, UPDATE).
  void run();

  std::string column_text(int col) const;  // "" for NULL
  int64_t column_int64(int col) const;     // 0 for NULL
  // SQLite stores a bound NaN as NULL, so NULL reads back as NaN.
  double column_double(int col) const;
  bool column_is_null(int col) const;

 private:
  void check_bind(int rc);

  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

// BEGIN IMMEDIATE takes the write lock up front (waiting up to busy_timeout), so a read followed by
// a write inside the transaction cannot fail half way because another process wrote in between.
class Transaction {
 public:
  explicit Transaction(sqlite3* db);
  ~Transaction();  // rolls back unless committed
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  sqlite3* db_;
  bool committed_ = false;
};

}  // namespace specgap::store
