#pragma once
// How a matmul step's row groups are handed out to the team: members take chunks from one counter,
// in order, until none are left. Each chunk is a share of what is left (OpenMP's guided schedule):
// the first are long sequential streams, the last short, so the members finish within a short chunk
// of each other. The chunks' bounds depend only on the step's size and the team's, not on
// which member takes which, so the kernel check (kernel_check.cpp) cuts the same ranges the timed
// calls run.
//   The share is what is left over 2 x members, for decode as for prefill. With 2 members and a share
// of half (decode's earlier rule, chosen on Zen 4 where the larger chunks' fewer stream starts and
// counter claims took 8-12% off the matmul steps), whoever took the first half was last whenever its
// core ran slower, and the other waited: Intel Emerald Rapids (KVM), 1B Q4_0 decode, barrier waits
// timed per step, 7-8% of every matmul step (44 us of gate/up's ~600); with a quarter 4 us. Runs
// alternated, each against the read kernel of its own run: 1B Q4_0 0.82-0.85 of the read to
// 0.84-0.87, gpt-oss-20b 0.85-0.89 to 0.92-0.93. Zen 4 is not measured with the smaller chunks.
#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace specgap::llm {

inline constexpr int64_t kMinChunk = 4;  // a group per decode stream

// The end of the chunk that starts at group `start` of `total`, shared by `members`.
inline int64_t chunk_end(int64_t start, int64_t total, size_t members) {
  const auto shares = static_cast<int64_t>(2 * members);
  return std::min(total, start + std::max(kMinChunk, (total - start) / shares));
}

}  // namespace specgap::llm
