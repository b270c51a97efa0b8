#pragma once
// The memory command's options and measurement, shared with audit.
#include <string>
#include <vector>

#include "core/sink.h"
#include "probe/machine.h"

namespace specgap::cli {

struct MemoryOptions {
  int threads = 0;  // 0: one per physical core
  std::string size, min_size, max_size;
  int reps = 10;
  std::vector<std::string> ops, impls;
  bool sweep = false, latency = false;
};

// Throws UsageError for a bad value, before anything is opened or measured.
void validate_memory_options(const MemoryOptions& o, const Machine& m);
// Runs what the options ask for: --sweep and/or --latency, else sustained bandwidth.
void measure_memory(const MemoryOptions& o, const Machine& m, RunSink& sink);

}  // namespace specgap::cli
