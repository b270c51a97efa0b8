#pragma once
// Runs the real specgap binary (SPECGAP_BINARY) in a child process: fork + execve with a chosen
// environment and optional RLIMIT_FSIZE, stdout and stderr captured through pipes that are drained
// while it runs (so a chatty child never blocks), and a deadline after which it is killed, so a hang
// fails the test instead of stalling CI.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "core/emulation.h"

// For a test whose deadline is wall-clock time that no emulator meets (the Arm build's suite runs
// under QEMU): skipped there with why, run natively. What it covers on Arm is tested by other means.
#define SPECGAP_SKIP_UNDER_EMULATION(why) \
  if (!::specgap::user_mode_emulator().empty()) GTEST_SKIP() << ::specgap::user_mode_emulator() << ": " << why

extern char** environ;

namespace specgap::test {

// How a child ended and what it printed.
struct Outcome {
  bool exited = false;     // ended through exit(): exit_code is valid
  int exit_code = -1;
  int signal = 0;          // the signal that ended it, when it did not exit
  bool timed_out = false;  // still running at the deadline, so killed
  std::string out, err;

  std::vector<std::string> err_lines() const {
    std::vector<std::string> lines;
    std::istringstream in(err);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
  }
  // For failure messages.
  std::string describe() const {
    std::ostringstream s;
    if (timed_out) s << "timed out; ";
    if (exited) s << "exit " << exit_code;
    else s << "signal " << signal;
    s << "\n--- stderr:\n" << err << "--- stdout (" << out.size() << " bytes):\n" << out.substr(0, 2000);
    return s.str();
  }
};

struct SpawnOptions {
  std::vector<std::pair<std::string, std::string>> env;  // set or replace these variables
  std::optional<rlim_t> file_size_limit;                 // RLIMIT_FSIZE of the child, in bytes
};

class SpecgapProcess {
 public:
  SpecgapProcess(const std::vector<std::string>& args, const SpawnOptions& options) {
    // Everything the child needs is built before fork: after it, only async-signal-safe calls.
    // Under an emulator (the Arm build's tests under QEMU) the binary is started through it too.
    std::vector<std::string> argv_text = emulator_launcher(SPECGAP_BINARY);
    argv_text.push_back(SPECGAP_BINARY);
    argv_text.insert(argv_text.end(), args.begin(), args.end());
    std::vector<std::string> env_text;
    for (char** e = environ; *e; ++e) {
      const std::string entry = *e;
      bool replaced = false;
      for (auto& [key, value] : options.env) replaced |= entry.rfind(key + "=", 0) == 0;
      if (!replaced) env_text.push_back(entry);
    }
    for (auto& [key, value] : options.env) env_text.push_back(key + "=" + value);
    std::vector<char*> argv, envp;
    for (auto& s : argv_text) argv.push_back(s.data());
    argv.push_back(nullptr);
    for (auto& s : env_text) envp.push_back(s.data());
    envp.push_back(nullptr);

    int out[2], err[2], exec_failed[2];
    if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0 || pipe2(exec_failed, O_CLOEXEC) != 0) {
      spawn_error_ = std::string("pipe: ") + std::strerror(errno);
      return;
    }
    const bool limit = options.file_size_limit.has_value();
    const rlimit fsize{limit ? *options.file_size_limit : 0, limit ? *options.file_size_limit : 0};
    pid_ = fork();
    if (pid_ < 0) {
      spawn_error_ = std::string("fork: ") + std::strerror(errno);
      return;
    }
    if (pid_ == 0) {
      const int null_fd = open("/dev/null", O_RDONLY);
      if (null_fd >= 0) dup2(null_fd, STDIN_FILENO);
      dup2(out[1], STDOUT_FILENO);
      dup2(err[1], STDERR_FILENO);
      // Default dispositions and an empty mask, whatever the test runner had: the binary must
      // install its own handling (for SIGXFSZ too).
      sigset_t none;
      sigemptyset(&none);
      sigprocmask(SIG_SETMASK, &none, nullptr);
      for (int sig : {SIGINT, SIGTERM, SIGXFSZ, SIGPIPE}) signal(sig, SIG_DFL);
      if (limit && setrlimit(RLIMIT_FSIZE, &fsize) != 0) {
        const int e = errno;
        (void)!write(exec_failed[1], &e, sizeof e);
        _exit(127);
      }
      execve(argv[0], argv.data(), envp.data());
      const int e = errno;
      (void)!write(exec_failed[1], &e, sizeof e);
      _exit(127);
    }
    close(out[1]);
    close(err[1]);
    close(exec_failed[1]);
    out_fd_ = out[0];
    err_fd_ = err[0];
    int e = 0;
    if (read(exec_failed[0], &e, sizeof e) == ssize_t(sizeof e))
      spawn_error_ = std::string("cannot start ") + SPECGAP_BINARY + ": " + std::strerror(e);
    close(exec_failed[0]);
  }

  ~SpecgapProcess() {
    if (pid_ > 0 && !reaped_) {
      kill(pid_, SIGKILL);
      int status = 0;
      waitpid(pid_, &status, 0);
    }
    if (out_fd_ >= 0) close(out_fd_);
    if (err_fd_ >= 0) close(err_fd_);
  }
  SpecgapProcess(const SpecgapProcess&) = delete;
  SpecgapProcess& operator=(const SpecgapProcess&) = delete;

  // Empty when the child started; else why not.
  const std::string& spawn_error() const { return spawn_error_; }
  pid_t pid() const { return pid_; }
  bool running() {
    reap(false);
    return pid_ > 0 && !reaped_;
  }
  void send(int sig) {
    if (pid_ > 0 && !reaped_) kill(pid_, sig);
  }

  // Collects output until the child has ended and closed both pipes, or until `timeout`.
  // Returns whether it ended.
  bool wait_for_exit(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      reap(false);
      if ((reaped_ || pid_ <= 0) && out_fd_ < 0 && err_fd_ < 0) return true;
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline -
                                                                              std::chrono::steady_clock::now());
      if (left.count() <= 0) return reaped_;
      pump(int(std::min<int64_t>(left.count(), 20)));
    }
  }

  // Waits up to `timeout`; a child still running then is killed and reported as timed out.
  Outcome finish(std::chrono::milliseconds timeout) {
    Outcome o;
    if (!spawn_error_.empty()) {
      o.err = spawn_error_;
      return o;
    }
    if (!wait_for_exit(timeout)) {
      o.timed_out = true;
      send(SIGKILL);
      wait_for_exit(std::chrono::seconds(10));
    }
    o.exited = WIFEXITED(status_);
    o.exit_code = o.exited ? WEXITSTATUS(status_) : -1;
    o.signal = WIFSIGNALED(status_) ? WTERMSIG(status_) : 0;
    o.out = out_;
    o.err = err_;
    return o;
  }

  const std::string& out_so_far() const { return out_; }
  const std::string& err_so_far() const { return err_; }

 private:
  void reap(bool block) {
    if (pid_ <= 0 || reaped_) return;
    const pid_t r = waitpid(pid_, &status_, block ? 0 : WNOHANG);
    if (r == pid_) reaped_ = true;
  }

  // One round of reading whatever the pipes hold, waiting at most `ms` for something to come.
  void pump(int ms) {
    pollfd fds[2];
    int n = 0;
    if (out_fd_ >= 0) fds[n++] = {out_fd_, POLLIN, 0};
    if (err_fd_ >= 0) fds[n++] = {err_fd_, POLLIN, 0};
    if (n == 0) {
      poll(nullptr, 0, ms);
      return;
    }
    if (poll(fds, nfds_t(n), ms) <= 0) return;
    for (int i = 0; i < n; ++i) {
      if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      const bool is_out = fds[i].fd == out_fd_;
      char buf[65536];
      const ssize_t got = read(fds[i].fd, buf, sizeof buf);
      if (got > 0) {
        (is_out ? out_ : err_).append(buf, size_t(got));
      } else if (got == 0 || (errno != EINTR && errno != EAGAIN)) {
        close(fds[i].fd);
        (is_out ? out_fd_ : err_fd_) = -1;
      }
    }
  }

  pid_t pid_ = -1;
  int out_fd_ = -1, err_fd_ = -1;
  bool reaped_ = false;
  int status_ = 0;
  std::string out_, err_;
  std::string spawn_error_;
};

inline Outcome run_specgap(const std::vector<std::string>& args, const SpawnOptions& options,
                           std::chrono::milliseconds timeout = std::chrono::seconds(60)) {
  SpecgapProcess p(args, options);
  return p.finish(timeout);
}

}  // namespace specgap::test
