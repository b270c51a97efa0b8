#pragma once
// Bandwidth over working sets from 16 KiB to 4x the last-level cache, with the cache levels'
// plateaus found in the curve and named (L1/L2/L3/DRAM), on any device whose STREAM arrays take spans
// (backends/device.h): each point is checked and timed through the harness.
#include <cstdint>
#include <string>
#include <vector>

#include "backends/device.h"
#include "core/result.h"
#include "core/sink.h"
#include "core/stream_ops.h"
#include "probe/machine.h"
#include "suites/memory/plateaus.h"

namespace specgap::suites {

struct SweepConfig {
  std::vector<int> cpus;         // host threads, one pinned per entry (the CPU device)
  uint64_t min_bytes = 16 * 1024;
  uint64_t max_bytes = 0;        // working set of the largest point
  int points_per_octave = 2;
  int reps = 7;
  std::vector<StreamOp> ops;   // empty: all six
  std::string impl;              // empty: the device's preferred variant (the widest temporal-store one)
  uint64_t seed = 7;
};

// The capacities of the cache levels, in working-set bytes for `threads` threads placed one per core.
std::vector<LevelCapacity> working_set_capacities(const CpuInfo& cpu, size_t threads);

// One result per point (params.kind = "sweep_point") and one per plateau (params.kind = "plateau").
// Throws UsageError for an --impl the device lacks or an empty range, specgap::Error when a point's
// check fails (no curve is drawn through a wrong point).
std::vector<Result> measure_sweep(backends::Device& device, const SweepConfig& config,
                                  const std::vector<LevelCapacity>& levels, RunSink& sink);

// Working-set sizes from min to max, `per_octave` a doubling, each a multiple of 4 KiB.
std::vector<uint64_t> sweep_sizes(uint64_t min_bytes, uint64_t max_bytes, int per_octave);

}  // namespace specgap::suites
