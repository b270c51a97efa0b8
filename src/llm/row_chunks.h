#pragma once
// How a matmul step's row groups are handed out to the team: members take chunks from one counter,
// in order, until none are left. Each chunk is a share of what is left (OpenMP's guided schedule):
// the first are long sequential streams, the last short, so the members finish within a short chunk
// of each other. The chunks' bounds depend only on the step's size, its tokens and the team's, not on
// which member takes which, so the kernel check (kernel_check.cpp) cuts the same ranges the timed
// calls run.
//   The share is what is left over 2 x members for prefill, and over members for decode. A decode
// chunk costs the start of its address streams (the hardware prefetcher learns each anew) and a
// claim on a counter line the other members write: on Zen 4, two cores on different CCDs, the larger
// decode chunks took 8-12% off the 1B Q4_0 file's matmul steps (0.81-0.85 of the read bandwidth to
// 0.85-0.86, runs alternated), where prefill lost 1-3% with them.
#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace specgap::llm {

inline constexpr int64_t kMinChunk = 4;  // a group per decode stream

// The end of the chunk that starts at group `start` of `total`, shared by `members`, for products of
// at most `tokens` tokens (1: decode).
inline int64_t chunk_end(int64_t start, int64_t total, size_t members, int64_t tokens) {
  const auto shares = static_cast<int64_t>(tokens == 1 ? members : 2 * members);
  return std::min(total, start + std::max(kMinChunk, (total - start) / shares));
}

}  // namespace specgap::llm
