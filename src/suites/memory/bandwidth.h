#pragma once
// Sustained memory bandwidth, STREAM-style, on any device: every variant of every op is checked,
// then timed in interleaved repetitions (harness/measure.h), and the best variant by median is the
// result, named in `impl`, with every variant kept in `variants`.
#include <cstdint>
#include <string>
#include <vector>

#include "backends/device.h"
#include "core/result.h"
#include "core/sink.h"
#include "core/stream_ops.h"

namespace specgap::suites {

struct BandwidthConfig {
  std::vector<int> cpus;           // host threads, one pinned per entry (the CPU device)
  uint64_t array_bytes = 0;        // bytes of each of the three arrays
  int reps = 10;                   // timed repetitions per variant, after one checked warm-up
  std::vector<StreamOp> ops;       // empty: all six
  std::vector<std::string> impls;  // empty: every variant; else only these (e.g. for a benchmark)
  uint64_t seed = 1;
};

std::vector<Result> measure_bandwidth(backends::Device& device, const BandwidthConfig& config, RunSink& sink);

}  // namespace specgap::suites
