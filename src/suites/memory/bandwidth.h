#pragma once
// Sustained memory bandwidth, STREAM-style: every variant of every op is checked, then timed in
// interleaved repetitions (so a noisy neighbour hits all variants alike), and the best variant by
// median is the result, named in `impl`, with every variant kept in `variants`.
#include <cstdint>
#include <string>
#include <vector>

#include "backends/cpu/memory_kernels.h"
#include "core/result.h"
#include "core/sink.h"

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

// Bytes an op moves over n elements by STREAM's counting.
uint64_t stream_bytes(cpu::MemOp op, uint64_t elements);

}  // namespace specgap::suites
