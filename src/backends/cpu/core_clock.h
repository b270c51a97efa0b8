#pragma once
// The clock a core really runs at, measured, not read from a label: a chain of dependent one-cycle
// integer adds timed against the monotonic clock. Works in VMs with no cpufreq node, and sees
// whatever the core does under the load around it (turbo, power limits, AVX licences).
#include <cstdint>
#include <optional>
#include <vector>

namespace specgap::cpu {

// Cycles per nanosecond of the calling thread's core over `blocks` x 256 adds; nullopt where the
// architecture has no add chain.
std::optional<double> measure_core_ghz(uint64_t blocks);

// About how many blocks take `seconds` on this core (measured once per call).
uint64_t add_chain_blocks_for(double seconds);

// The mean clock of `cpus`, each measured for 10 ms on a thread pinned to it, all at once, in MHz;
// nullopt where the architecture has no add chain.
std::optional<double> add_chain_clock_mhz(const std::vector<int>& cpus);

}  // namespace specgap::cpu
