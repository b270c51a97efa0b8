#pragma once
// RAPL energy counters (powercap energy_uj) turned into watts. The counter wraps at
// max_energy_range_uj, a few minutes of full load on a big package: a later value below an earlier one
// is a wrap, not negative energy.
#include <cstdint>
#include <optional>

namespace specgap::telemetry {

// Microjoules used between two readings of a counter that wraps after `range_uj`; nullopt when the
// readings cannot be from one counter (a value past the range, or no range known and a wrap).
std::optional<uint64_t> energy_delta_uj(uint64_t before, uint64_t after, uint64_t range_uj);

}  // namespace specgap::telemetry
