#pragma once
// Which process owns a run, recorded so that a later specgap can tell a run whose process died from
// one that another specgap is still writing to the same database.
#include <cstdint>
#include <optional>
#include <string>

namespace specgap::store {

struct ProcessIdentity {
  int64_t pid = 0;
  // Field 22 of /proc/<pid>/stat: when the process started, in clock ticks since boot. A pid reused
  // by a later process has a later start, so pid + start ticks names one process within one boot.
  int64_t start_ticks = 0;
  // /proc/sys/kernel/random/boot_id, new on every boot: pids and ticks restart after a reboot.
  std::string boot_id;
};

// This process, read now (after fork() the child reads its own).
ProcessIdentity current_process();

// Start ticks of a running process; nullopt when it is gone, a zombie, or /proc cannot be read.
std::optional<int64_t> process_start_ticks(int64_t pid);

// The current boot id, "" when unreadable.
std::string current_boot_id();

// Alive iff the same boot, the pid exists and started at the same tick. When this process cannot
// read its own /proc entry there is no way to judge, so every owner counts as alive: a live run
// must never be marked interrupted. Limitation: a specgap in another pid namespace (container)
// sharing the file is invisible here and would look dead.
bool process_is_alive(const ProcessIdentity& owner);

}  // namespace specgap::store
