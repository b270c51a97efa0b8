#pragma once
// Sustained memory bandwidth, STREAM-style: every variant of every op is checked, then timed in
// interleaved repetitions (so a noisy neighbour hits all variants alike), and the best variant by
// median is the result, named in `impl`, with every variant kept in `variants`.
#include <cstdint>
#include <string>
#include <vector>

#include "backends/cpu/memory_kernels.h"
#include "backends/cpu/thread_team.h"
#include "core/result.h"
#include "core/sink.h"
#include "suites/memory/stream_arrays.h"

namespace specgap::suites {

struct BandwidthConfig {
  std::vector<int> cpus;           // one pinned thread per entry
  uint64_t array_bytes = 0;        // bytes of each of the three arrays
  int reps = 10;                   // timed repetitions per variant, after one checked warm-up
  std::vector<cpu::MemOp> ops;     // empty: all six
  std::vector<std::string> impls;  // empty: every variant; else only these (e.g. for a benchmark)
  uint64_t seed = 1;
};

std::vector<Result> measure_bandwidth(const BandwidthConfig& config, RunSink& sink);

// The memory suite's read bandwidth, sampled again and again beside another workload that runs on
// the same team (LLM decode). The array is allocated, filled and every read kernel checked once, at
// construction: only array a, which is all the read op touches. Each sample then times every read
// kernel that passed `reps` times, interleaved, and gives the best kernel's median: the statistic
// the memory suite reports. (One pass of each kernel and the best of those sat above it: the best of
// several noisy values, not the value.)
class ReadSampler {
 public:
  ReadSampler(cpu::ThreadTeam& team, uint64_t array_bytes, uint64_t seed = 1);
  // GB/s; NaN when no read kernel passed its check. Throws UsageError for reps < 1.
  double sample(int reps);

 private:
  cpu::ThreadTeam& team_;
  StreamArrays arrays_;
  std::vector<cpu::MemKernel> kernels_;  // the read kernels that passed their check
};

// Bytes an op moves over n elements by STREAM's counting.
uint64_t stream_bytes(cpu::MemOp op, uint64_t elements);

}  // namespace specgap::suites
