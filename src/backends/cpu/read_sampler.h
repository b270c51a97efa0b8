#pragma once
// The memory suite's read bandwidth, sampled again and again beside another workload that runs on
// the same team (LLM decode). The array is allocated, filled and every read kernel checked once, at
// construction: only array a, which is all the read op touches. Each sample then times every read
// kernel that passed `reps` times, interleaved, and gives the best kernel's median: the statistic
// the memory suite reports. (One pass of each kernel and the best of those sat above it: the best of
// several noisy values, not the value.)
#include <cstdint>
#include <vector>

#include "backends/cpu/memory_kernels.h"
#include "backends/cpu/stream_arrays.h"
#include "backends/cpu/thread_team.h"

namespace specgap::cpu {

class ReadSampler {
 public:
  ReadSampler(ThreadTeam& team, uint64_t array_bytes, uint64_t seed = 1);
  // GB/s; NaN when no read kernel passed its check. Throws UsageError for reps < 1.
  double sample(int reps);

 private:
  ThreadTeam& team_;
  StreamArrays arrays_;
  std::vector<MemKernel> kernels_;  // the read kernels that passed their check
};

// One timed pass of `kernel` over the first n elements, split across the team: nanoseconds.
int64_t time_stream_pass(const MemKernel& kernel, const StreamArrays& arrays, size_t n, ThreadTeam& team,
                         std::vector<PaddedSum>& sums);

}  // namespace specgap::cpu
