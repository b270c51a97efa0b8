#pragma once
// How a matmul step's row groups are handed out to the team: members take chunks from one counter,
// in order, until none are left. Each chunk is a share of what is left (OpenMP's guided schedule):
// the first are long sequential streams, the last short, so the members finish within a short chunk
// of each other. The chunks' bounds depend only on the step's size and the team's, not on which member
// takes which, so the kernel check (kernel_check.cpp) cuts the same ranges the timed calls run.
#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace specgap::llm {

inline constexpr int64_t kMinChunk = 4;  // a group per decode stream

// The end of the chunk that starts at group `start` of `total`, shared by `members`.
inline int64_t chunk_end(int64_t start, int64_t total, size_t members) {
  return std::min(total, start + std::max(kMinChunk, (total - start) / static_cast<int64_t>(2 * members)));
}

}  // namespace specgap::llm
