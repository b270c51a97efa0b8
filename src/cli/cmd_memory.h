#pragma once
// The memory command's options, the plan they make, and its measurement; audit uses the same.
#include <optional>
#include <string>
#include <vector>

#include "cli/device_choice.h"
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
  std::vector<std::string> devices;  // --device: empty or "cpu" for the CPU alone
};

// What will run, fully checked: building it is where every bad value is caught, before a store is
// opened or anything measured.
struct MemoryPlan {
  std::vector<suites::BandwidthConfig> bandwidth;  // one per thread count
  std::optional<suites::SweepConfig> sweep;
  std::optional<suites::LatencyConfig> latency;
  std::vector<suites::LevelCapacity> sweep_levels, latency_levels;
  uint64_t device_bytes = 0;  // --size for a device with memory of its own (0: its default)
  uint64_t device_max_bytes = 0;  // --max-size of the sweep on a device with memory of its own (0: its default)
  int reps = 10;
};

// Throws UsageError (exit 2, one line) for a bad flag value, a size that does not fit in memory, or a
// variant this CPU cannot run.
MemoryPlan plan_memory(const MemoryOptions& o, const Machine& m);
// Measures each chosen device: the CPU as planned; a GPU's sweep or latency when asked, else its STREAM
// kernels and its transfers.
void measure_memory(const MemoryPlan& plan, const std::vector<backends::Device*>& devices, RunSink& sink);

}  // namespace specgap::cli
