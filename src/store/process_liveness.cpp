#include "store/process_liveness.h"

#include <unistd.h>

#include <fstream>
#include <iterator>
#include <sstream>

namespace specgap::store {
namespace {

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// /proc/<pid>/stat: "pid (comm) state ppid ...". comm may hold spaces and ')', so fields are
// counted from the last ')'. The token after it is field 3 (state); start time is field 22.
constexpr int kStateField = 3;
constexpr int kStartTicksField = 22;

}  // namespace

std::optional<int64_t> process_start_ticks(int64_t pid) {
  // The main thread's stat, which carries the process's start time: QEMU's user-mode emulation
  // fabricates a process's own /proc/<pid>/stat (another start time), but not this file.
  const std::string id = std::to_string(pid);
  const auto stat = read_file("/proc/" + id + "/task/" + id + "/stat");
  if (!stat) return std::nullopt;
  const auto close = stat->rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream fields(stat->substr(close + 1));
  std::string state;
  if (!(fields >> state)) return std::nullopt;
  // A zombie has exited; only its parent has not collected the exit status yet.
  if (state == "Z" || state == "X") return std::nullopt;
  std::string token;
  for (int field = kStateField + 1; field < kStartTicksField; ++field) {
    if (!(fields >> token)) return std::nullopt;
  }
  int64_t ticks = 0;
  if (!(fields >> ticks)) return std::nullopt;
  return ticks;
}

std::string current_boot_id() {
  auto id = read_file("/proc/sys/kernel/random/boot_id").value_or("");
  while (!id.empty() && (id.back() == '\n' || id.back() == ' ')) id.pop_back();
  return id;
}

ProcessIdentity current_process() {
  ProcessIdentity self;
  self.pid = getpid();
  self.start_ticks = process_start_ticks(self.pid).value_or(0);
  self.boot_id = current_boot_id();
  return self;
}

bool process_is_alive(const ProcessIdentity& owner) {
  if (!process_start_ticks(getpid())) return true;
  // An unknown boot id on either side cannot be compared; pid and start ticks still decide.
  const std::string boot_id = current_boot_id();
  if (!owner.boot_id.empty() && !boot_id.empty() && owner.boot_id != boot_id) return false;
  const auto ticks = process_start_ticks(owner.pid);
  return ticks && *ticks == owner.start_ticks;
}

}  // namespace specgap::store
