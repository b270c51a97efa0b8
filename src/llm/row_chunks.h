#pragma once
// How a matmul step's row groups are handed out to the team: members take chunks from one counter,
// in order, until none are left. Each chunk is a share of what is left (OpenMP's guided schedule):
// the first are long sequential streams, the last short, so the members finish within a short chunk
// of each other. The chunks' bounds depend only on the step's size, its tokens, the team's and the
// CPU, not on which member takes which, so the kernel check (kernel_check.cpp) cuts the same ranges
// the timed calls run.
//   The share is what is left over 2 x members for prefill. For decode it depends on the core, since
// two costs pull apart. A chunk costs the start of its address streams (the hardware prefetcher
// learns each anew) and a claim on a counter line the other members write: on Zen 4, two cores on
// different CCDs, chunks of what is left over the members (larger) took 8-12% off the 1B Q4_0 file's
// matmul steps (0.81-0.85 of the read bandwidth to 0.85-0.86, runs alternated), where prefill lost
// 1-3% with them; on Zen 3 a first chunk of a third instead of a half was slower in 5 of 6 rounds.
// But whoever takes a first half is last whenever its core runs slower, and the other waits: on
// Intel Emerald Rapids (KVM), barrier waits timed per step came to 7-8% of every decode matmul step
// with halves (44 us of gate/up's ~600), 4 us with quarters. There, runs alternated, each against
// the read kernel of its own run: 1B Q4_0 0.82-0.85 of the read with halves, 0.84-0.87 with
// quarters; gpt-oss-20b 0.85-0.89 and 0.92-0.93. So Intel cores decode in chunks of what is left
// over 2 x members, and the others (measured: AMD) over the members.
#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace specgap::llm {

inline constexpr int64_t kMinChunk = 4;  // a group per decode stream

// The shares of what is left that each chunk takes, for a team of `members` and calls of at most
// `tokens` tokens (1: decode), where decode's chunks are halved or not (small_decode_chunks).
inline int64_t chunk_shares(size_t members, int64_t tokens, bool small_decode_chunks) {
  const auto m = static_cast<int64_t>(members);
  return tokens == 1 && !small_decode_chunks ? m : 2 * m;
}

// Whether this CPU decodes in the smaller chunks (an Intel core, read once from CPUID).
bool small_decode_chunks();

// The end of the chunk that starts at group `start` of `total`, taking one of `shares` of what is left.
inline int64_t chunk_end(int64_t start, int64_t total, int64_t shares) {
  return std::min(total, start + std::max(kMinChunk, (total - start) / shares));
}

}  // namespace specgap::llm
