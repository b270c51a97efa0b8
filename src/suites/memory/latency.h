#pragma once
// Load-to-use latency over working sets from 16 KiB to 1 GiB by a random pointer chase on one pinned
// thread (lmbench lat_mem_rd / Intel MLC idle latency), with the plateaus named: any device that
// offers a chase (Device::latency), checked and timed through the harness.
#include <cstdint>
#include <vector>

#include "backends/device.h"
#include "core/result.h"
#include "core/sink.h"
#include "suites/memory/plateaus.h"

namespace specgap::suites {

struct LatencyConfig {
  int cpu = -1;                     // pinned CPU (the CPU device); -1 leaves the thread where it is
  uint64_t min_bytes = 16 * 1024;
  uint64_t max_bytes = 1ull << 30;
  int points_per_octave = 2;
  int reps = 5;
  uint64_t seed = 11;
};

// One result per working set (name "latency", params.kind "sweep_point") and one per plateau. Throws
// specgap::Error when the device offers no chase or a chase leaves its cycle.
std::vector<Result> measure_latency(backends::Device& device, const LatencyConfig& config,
                                    const std::vector<LevelCapacity>& levels, RunSink& sink);

}  // namespace specgap::suites
