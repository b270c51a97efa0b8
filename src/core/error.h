#pragma once
// One-line, user-facing errors. Library code throws specgap::Error; only main() turns it into an exit.
#include <stdexcept>
#include <string>

namespace specgap {

// Process exit codes, shared by every command.
enum ExitCode : int {
  kExitOk = 0,
  kExitFailure = 1,      // a measurement, check or I/O failed
  kExitUsage = 2,        // a wrong flag or value
  kExitInterrupted = 130 // Ctrl-C: 128 + SIGINT, as shells report it (SIGTERM gives 143)
};

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message, int exit_code = kExitFailure)
      : std::runtime_error(message), exit_code_(exit_code) {}
  int exit_code() const { return exit_code_; }

 private:
  int exit_code_;
};

// A bad flag or value given by the user.
class UsageError : public Error {
 public:
  explicit UsageError(const std::string& message) : Error(message, kExitUsage) {}
};

// The user asked us to stop (SIGINT/SIGTERM); what was measured so far is kept.
class Interrupted : public Error {
 public:
  // 128 + the signal that asked us to stop, as a shell reports a process the signal killed.
  explicit Interrupted(int signal_number) : Error("interrupted", 128 + signal_number) {}
};

}  // namespace specgap
