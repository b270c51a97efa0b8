#pragma once
// The visiting order of a pointer chase, shared by every device's chase so that one seed means the
// same cycle everywhere: a random permutation that is a single cycle through all nodes (Sattolo's
// algorithm), so a chase from any node visits every node before it returns.
#include <cstdint>
#include <span>

namespace specgap {

// Fills `order` so that order[k] is the node visited at step k of the cycle over order.size() nodes.
// Polls the stop flag (a 1 GiB chase's cycle takes about a second to lay out).
void random_cycle(std::span<uint32_t> order, uint64_t seed);

}  // namespace specgap
