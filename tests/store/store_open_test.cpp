// Where the database lives and what opening it refuses: every failure is one line naming the path,
// raised by the constructor, i.e. before anything is measured.
#include <fmt/format.h>

#include <cstdlib>
#include <fstream>
#include <limits>
#include <optional>

#include "core/error.h"
#include "store/location.h"
#include "store/sqlite_util.h"
#include "store/schema.h"
#include "store/store.h"
#include "store_test_util.h"

namespace specgap::test {
namespace {

// Sets or unsets one environment variable for the life of the object, then restores it.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value) {
      setenv(name, value, 1);
    } else {
      unsetenv(name);
    }
  }
  ~ScopedEnv() {
    if (old_) {
      setenv(name_, old_->c_str(), 1);
    } else {
      unsetenv(name_);
    }
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

// The message of the specgap::Error that opening `path` throws; fails the test if none is thrown.
std::string open_failure(const std::string& path) {
  try {
    Store store(path);
  } catch (const Error& e) {
    const std::string message = e.what();
    EXPECT_EQ(message.find('\n'), std::string::npos) << "not one line: " << message;
    EXPECT_NE(message.find(path), std::string::npos) << "path not named: " << message;
    return message;
  }
  ADD_FAILURE() << "opening " << path << " did not throw";
  return "";
}

void write_file(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

// A raw connection to inspect or doctor a file behind the store's back.
struct RawDb {
  explicit RawDb(const std::string& path) { sqlite3_open(path.c_str(), &db); }
  ~RawDb() { sqlite3_close(db); }
  std::string text(const char* sql) {
    store::Statement st(db, sql);
    st.step();
    return st.column_text(0);
  }
  sqlite3* db = nullptr;
};

using StoreOpen = StoreTest;

TEST_F(StoreOpen, DefaultPathPrefersSpecgapDbThenXdgThenHome) {
  ScopedEnv db("SPECGAP_DB", "/data/mine.db");
  ScopedEnv xdg("XDG_DATA_HOME", "/xdg");
  ScopedEnv home("HOME", "/home/u");
  EXPECT_EQ(Store::default_path(), "/data/mine.db");
  {
    ScopedEnv empty_db("SPECGAP_DB", "");  // empty counts as unset
    EXPECT_EQ(Store::default_path(), "/xdg/specgap/results.db");
    ScopedEnv no_xdg("XDG_DATA_HOME", nullptr);
    EXPECT_EQ(Store::default_path(), "/home/u/.local/share/specgap/results.db");
  }
  {
    ScopedEnv no_db("SPECGAP_DB", nullptr);
    ScopedEnv relative_xdg("XDG_DATA_HOME", "relative/dir");  // the XDG spec says ignore it
    EXPECT_EQ(Store::default_path(), "/home/u/.local/share/specgap/results.db");
    ScopedEnv no_home("HOME", nullptr);
    EXPECT_THROW(Store::default_path(), Error);
  }
}

TEST_F(StoreOpen, CreatesMissingFoldersAndAWalDatabase) {
  const auto path = (dir_ / "a" / "b" / "results.db").string();
  {
    Store store(path);
    EXPECT_EQ(store.path(), path);
    EXPECT_TRUE(store.list_runs().empty());
  }
  ASSERT_TRUE(std::filesystem::is_regular_file(path));
  RawDb raw(path);
  EXPECT_EQ(raw.text("PRAGMA journal_mode"), "wal");  // WAL is a property of the file: it persists
  EXPECT_EQ(raw.text("PRAGMA user_version"), std::to_string(store::kSchemaVersion));
  EXPECT_EQ(raw.text("SELECT group_concat(name) FROM (SELECT name FROM sqlite_master WHERE "
                     "type = 'table' ORDER BY name)"),
            "results,runs,samples,telemetry");
}

TEST_F(StoreOpen, ParentThatIsARegularFileIsRefused) {
  write_file(dir_ / "file", "not a folder");
  const std::string message = open_failure((dir_ / "file" / "sub" / "results.db").string());
  EXPECT_NE(message.find("cannot use results database"), std::string::npos) << message;
  EXPECT_NE(message.find("Not a directory"), std::string::npos) << message;
  EXPECT_NE(message.find("SPECGAP_DB"), std::string::npos) << message;
  // The folder directly above being a file is refused the same way.
  open_failure((dir_ / "file" / "results.db").string());
}

TEST_F(StoreOpen, PathThatIsAFolderIsRefused) {
  std::filesystem::create_directory(dir_ / "results.db");
  const std::string message = open_failure(db_path());
  EXPECT_NE(message.find("cannot use results database"), std::string::npos) << message;
}

TEST_F(StoreOpen, FileWhoseJournalCannotBeWrittenIsRefusedAtOpen) {
  { Store first(db_path()); }
  // The WAL file's name is taken by a folder: the file reads, but no write can commit.
  std::filesystem::create_directory(db_path() + "-wal");
  const std::string message = open_failure(db_path());
  EXPECT_NE(message.find("cannot use results database"), std::string::npos) << message;
}

TEST_F(StoreOpen, TooLittleFreeSpaceIsRefused) {
  store::prepare_location(db_path(), store::kMinFreeBytes);  // this machine's /tmp has room
  try {
    store::prepare_location(db_path(), std::numeric_limits<uint64_t>::max() / 2);
    FAIL() << "no file system has 8 EiB free";
  } catch (const Error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find(db_path()), std::string::npos) << message;
    EXPECT_NE(message.find("free on its file system"), std::string::npos) << message;
  }
}

TEST_F(StoreOpen, FileThatIsNotADatabaseIsRefused) {
  write_file(db_path(), std::string(8192, 'x'));
  const std::string message = open_failure(db_path());
  EXPECT_NE(message.find("is not a specgap results database: file is not a database"),
            std::string::npos)
      << message;
  EXPECT_EQ(std::filesystem::file_size(db_path()), 8192u) << "a foreign file must be left alone";
}

TEST_F(StoreOpen, DatabaseWithADamagedHeaderIsRefused) {
  { Store first(db_path()); }
  std::string bytes(4096 * 4, '\xa5');
  std::ifstream(db_path(), std::ios::binary).read(bytes.data(), 100);  // keep the magic string only
  std::fill(bytes.begin() + 16, bytes.begin() + 100, '\xff');
  write_file(db_path(), bytes);
  const std::string message = open_failure(db_path());
  EXPECT_NE(message.find("is not a specgap results database"), std::string::npos) << message;
}

TEST_F(StoreOpen, SqliteFileOfAnotherProgramIsRefused) {
  {
    RawDb raw(db_path());
    store::exec(raw.db, "CREATE TABLE contacts (name TEXT)");
  }
  const std::string message = open_failure(db_path());
  EXPECT_NE(message.find("is not a specgap results database"), std::string::npos) << message;
  RawDb raw(db_path());
  EXPECT_EQ(raw.text("SELECT COUNT(*) FROM sqlite_master"), "1") << "it must be left untouched";
}

TEST_F(StoreOpen, DatabaseFromANewerSpecgapIsRefused) {
  { Store first(db_path()); }
  {
    RawDb raw(db_path());
    store::exec(raw.db, fmt::format("PRAGMA user_version = {}", store::kSchemaVersion + 1).c_str());
  }
  const std::string message = open_failure(db_path());
  EXPECT_NE(message.find("newer specgap"), std::string::npos) << message;
}

TEST_F(StoreOpen, ADatabaseOfSchemaOneGainsTelemetryAndKeepsItsRuns) {
  {
    Store first(db_path());
    RunRecord run;
    run.run_id = "20261101T000000Z-000001";
    run.command = "specgap memory";
    first.begin_run(run);
    first.finish_run(run.run_id, "complete");
  }
  {
    // Back to schema 1 as an older specgap wrote it: no telemetry table, no telemetry column.
    RawDb raw(db_path());
    store::exec(raw.db, "DROP TABLE telemetry");
    store::exec(raw.db, "ALTER TABLE runs DROP COLUMN telemetry_json");
    store::exec(raw.db, "PRAGMA user_version = 1");
  }
  Store store(db_path());
  const auto old = store.load_run("20261101T000000Z-000001");
  ASSERT_TRUE(old.has_value());
  EXPECT_EQ(old->status, "complete");
  EXPECT_DOUBLE_EQ(old->telemetry.hz, 0);
  EXPECT_TRUE(old->timeline.empty());
  RunRecord run;
  run.run_id = "20261201T000000Z-000002";
  store.begin_run(run);
  store.set_telemetry_info(run.run_id, {10, {"procstat"}, {"thermal zones: none"}});
  store.add_telemetry(run.run_id, {0.5, {{"cpu.util_pct", 99}}});
  const auto now = store.load_run(run.run_id);
  ASSERT_TRUE(now.has_value());
  EXPECT_DOUBLE_EQ(now->telemetry.hz, 10);
  EXPECT_EQ(now->telemetry.unavailable, std::vector<std::string>{"thermal zones: none"});
  ASSERT_EQ(now->timeline.size(), 1u);
  EXPECT_DOUBLE_EQ(now->timeline[0].readings.at("cpu.util_pct"), 99);
}

}  // namespace
}  // namespace specgap::test
