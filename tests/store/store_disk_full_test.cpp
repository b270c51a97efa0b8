// A full disk: the write that does not fit throws one line saying so, and every sample committed
// before it stays readable. The disk is "filled" with RLIMIT_FSIZE in a forked child, with SIGXFSZ
// ignored so that exceeding the limit fails the write instead of killing the process.
#include <signal.h>
#include <sys/resource.h>

#include <algorithm>
#include <cstring>
#include <filesystem>

#include "core/error.h"
#include "store/sqlite_util.h"
#include "store/store.h"
#include "store/store_errors.h"
#include "store_test_util.h"

namespace specgap::test {
namespace {

using StoreDiskFull = StoreTest;

constexpr int kChildSawExpectedError = 42;
constexpr size_t kBlobBytes = 16 * 1024;

// Caps every file this process writes at `extra` bytes past the largest file of the database now.
bool limit_file_growth(const std::string& db_path, uintmax_t extra) {
  namespace fs = std::filesystem;
  const auto wal = db_path + "-wal";
  const auto biggest = std::max(fs::file_size(db_path), fs::exists(wal) ? fs::file_size(wal) : 0);
  signal(SIGXFSZ, SIG_IGN);
  const rlimit fsize{biggest + extra, biggest + extra};
  return setrlimit(RLIMIT_FSIZE, &fsize) == 0;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST_F(StoreDiskFull, WriteThatDoesNotFitThrowsAndKeepsCommittedSamples) {
  const std::string id = "20260101T000000Z-full01";
  // The child reports how many samples were committed, then the message of the error it got.
  const auto child = run_in_child([&](int report_fd) {
    int64_t committed = 0;
    try {
      Store store(db_path());
      store.begin_run(make_run(id));
      if (!limit_file_growth(db_path(), 256 * 1024)) _exit(3);
      Sample big = make_sample(0);
      big.params["blob"] = std::string(kBlobBytes, 'x');
      for (; committed < 10'000; ++committed) {
        big.value = static_cast<double>(committed + 1);
        store.add_sample(id, big);
      }
      _exit(4);  // the limit never bit
    } catch (const Error& e) {
      const std::string message = e.what();
      write_all(report_fd, &committed, sizeof committed);
      write_all(report_fd, message.data(), message.size());
      const bool as_expected =
          !contains(message, "\n") && contains(message, "disk full") &&
          contains(message, db_path()) &&
          contains(message, "the run keeps its " + std::to_string(committed) + " stored samples");
      _exit(as_expected ? kChildSawExpectedError : 5);
    } catch (...) {
      _exit(6);
    }
  });
  ASSERT_EQ(child.exit_code, kChildSawExpectedError) << "report: " << child.report;
  int64_t committed = 0;
  ASSERT_GE(child.report.size(), sizeof committed);
  std::memcpy(&committed, child.report.data(), sizeof committed);
  ASSERT_GT(committed, 0);

  Store store(db_path());
  const auto samples = store.load_samples(id);
  ASSERT_EQ(static_cast<int64_t>(samples.size()), committed);
  for (size_t i = 0; i < samples.size(); ++i) {
    EXPECT_EQ(samples[i].value, static_cast<double>(i + 1));
    EXPECT_EQ(samples[i].params["blob"].get<std::string>().size(), kBlobBytes);
  }
  EXPECT_EQ(store.load_run(id)->status, "running");  // the child never finished it
  EXPECT_EQ(store.recover_interrupted().size(), 1u);
}

// Opening commits a real write, so a file that cannot grow by a single page is refused at open,
// before anything is measured, rather than at the first sample.
TEST_F(StoreDiskFull, OpenFailsWhenNothingMoreCanBeWritten) {
  const auto child = run_in_child([&](int report_fd) {
    try {
      Store first(db_path());  // holds the WAL open, so the next commit must append to it
      if (!limit_file_growth(db_path(), 0)) _exit(3);
      Store second(db_path());
      _exit(4);
    } catch (const Error& e) {
      const std::string message = e.what();
      write_all(report_fd, message.data(), message.size());
      _exit(contains(message, "cannot use results database " + db_path()) ? kChildSawExpectedError
                                                                          : 5);
    } catch (...) {
      _exit(6);
    }
  });
  EXPECT_EQ(child.exit_code, kChildSawExpectedError) << "report: " << child.report;
}

// SQLITE_FULL (a truly full disk) cannot be provoked without filling a file system, so the message
// it becomes is checked on a synthetic error against a real database.
TEST_F(StoreDiskFull, SqliteFullBecomesOneLineNamingTheStoredSamples) {
  const std::string id = "20260101T000000Z-full02";
  {
    Store store(db_path());
    store.begin_run(make_run(id));
    for (int i = 0; i < 3; ++i) store.add_sample(id, make_sample(i));
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_path().c_str(), &db), SQLITE_OK);
  const store::SqliteError full(SQLITE_FULL, "database or disk is full");
  const std::string message = store::write_error(db, db_path(), id, full).what();
  sqlite3_close(db);
  EXPECT_EQ(message.rfind("disk full while writing results to " + db_path() +
                              ": the run keeps its 3 stored samples",
                          0),
            0u)
      << message;
  EXPECT_FALSE(contains(message, "\n")) << message;
}

}  // namespace
}  // namespace specgap::test
