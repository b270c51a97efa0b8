#pragma once
// The memory command's options, the plan they make, and its measurement; audit uses the same.
#include <optional>
#include <string>
#include <vector>

#include "core/sink.h"
#include "probe/machine.h"
#include "suites/memory/bandwidth.h"
#include "suites/memory/latency.h"
#include "suites/memory/sweep.h"

namespace specgap::cli {

struct MemoryOptions {
  std::vector<int> threads;  // empty: one per physical core; several: bandwidth at each count
  std::string size, min_size, max_size;
  int reps = 10;
  std::vector<std::string> ops, impls;
  bool sweep = false, latency = false;
};

// What will run, fully checked: building it is where every bad value is caught, before a store is
// opened or anything measured.
struct MemoryPlan {
  std::vector<suites::BandwidthConfig> bandwidth;  // one per thread count
  std::optional<suites::SweepConfig> sweep;
  std::optional<suites::LatencyConfig> latency;
  std::vector<suites::LevelCapacity> sweep_levels, latency_levels;
};

// Throws UsageError (exit 2, one line) for a bad flag value, a size that does not fit in memory, or a
// variant this CPU cannot run.
MemoryPlan plan_memory(const MemoryOptions& o, const Machine& m);
void measure_memory(const MemoryPlan& plan, RunSink& sink);

}  // namespace specgap::cli
