#pragma once
// Shared by the store tests: a fresh folder per test, sample data, and helpers for forked children.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "store/store.h"

namespace specgap::test {

// Each test gets its own folder under $TMPDIR (or /tmp), removed afterwards.
class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/specgap-store-XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string db_path() const { return (dir_ / "results.db").string(); }

  std::filesystem::path dir_;
};

inline RunRecord make_run(const std::string& run_id,
                          const std::string& started_at = "2026-01-01T00:00:00Z") {
  RunRecord run;
  run.run_id = run_id;
  run.started_at = started_at;
  run.command = "specgap run memory";
  run.specgap_version = "0.1.0-test";
  run.machine = {{"cpu", {{"model", "Test CPU"}, {"cores", 2}}}};
  return run;
}

inline Sample make_sample(double value) {
  Sample s;
  s.suite = "memory";
  s.name = "triad";
  s.impl = "scalar";
  s.value = value;
  s.unit = "GB/s";
  s.params = {{"bytes", 1 << 20}, {"threads", 2}};
  return s;
}

inline Result make_result(const std::string& name, double value) {
  Result r;
  r.suite = "memory";
  r.device = "cpu";
  r.name = name;
  r.value = value;
  r.unit = "GB/s";
  r.impl = "scalar";
  r.stats.median = value;
  r.stats.min = value - 1;
  r.stats.max = value + 1;
  r.stats.reps = 5;
  r.params = {{"bytes", 3 << 20}};
  return r;
}

// Exit status of a child after waitpid: its exit code, or 1000 + the signal that ended it.
inline int wait_for_child(pid_t child) {
  int status = 0;
  if (waitpid(child, &status, 0) != child) return -1;
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 1000 + WTERMSIG(status);
  return -1;
}

// Whole-buffer pipe I/O; false at end of file or on error.
inline bool write_all(int fd, const void* data, size_t size) {
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t n = ::write(fd, p, size);
    if (n <= 0) return false;
    p += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

inline bool read_all(int fd, void* data, size_t size) {
  char* p = static_cast<char*>(data);
  while (size > 0) {
    const ssize_t n = ::read(fd, p, size);
    if (n <= 0) return false;
    p += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

// What a forked child reported on its pipe, and how it ended (see wait_for_child).
struct ChildOutcome {
  int exit_code = -1;
  std::string report;
};

// Runs `body(report_fd)` in a forked child that must end with _exit(); the child never returns into
// the test runner. Returns everything it wrote to report_fd and its exit status.
template <class Body>
ChildOutcome run_in_child(Body&& body) {
  int fds[2];
  if (pipe(fds) != 0) return {};
  const pid_t child = fork();
  if (child < 0) return {};
  if (child == 0) {
    close(fds[0]);
    body(fds[1]);
    _exit(100);  // body forgot to exit
  }
  close(fds[1]);
  ChildOutcome outcome;
  char buf[512];
  for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) outcome.report.append(buf, n);
  close(fds[0]);
  outcome.exit_code = wait_for_child(child);
  return outcome;
}

}  // namespace specgap::test
