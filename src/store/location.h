#pragma once
// Where the database file goes: its folder must exist and its file system must have room for a run.
// Checked before anything is measured, so a long run never ends in an error about the disk.
#include <cstdint>
#include <string>

#include "core/units.h"

namespace specgap::store {

// A long soak with telemetry writes a few MiB; 64 MiB leaves room for that and SQLite's WAL file.
inline constexpr uint64_t kMinFreeBytes = 64 * MiB;

// Creates the folders above `db_path` (mkdir -p) and checks that at least `min_free_bytes` are
// available to this user there. Throws specgap::Error naming the path and the reason.
void prepare_location(const std::string& db_path, uint64_t min_free_bytes);

}  // namespace specgap::store
