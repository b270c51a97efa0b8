#pragma once
// The compute command's options, the plan they make, and its measurement; audit uses the same.
#include <optional>
#include <string>
#include <vector>

#include "cli/device_choice.h"
#include "core/sink.h"
#include "probe/machine.h"
#include "suites/compute/gemm.h"
#include "suites/compute/peak.h"

namespace specgap::cli {

struct ComputeOptions {
  int threads = 0;  // 0: one per physical core
  std::vector<std::string> dtypes, impls, shapes, libraries;
  int reps = 0;     // 0: each part's default
  bool peak_only = false, gemm_only = false;
  std::vector<std::string> devices;  // --device: empty or "cpu" for the CPU alone
};

struct ComputePlan {
  std::optional<suites::PeakConfig> peak;
  std::optional<suites::GemmConfig> gemm;
};

// Throws UsageError (exit 2, one line) for a bad flag value, before anything is opened or measured.
ComputePlan plan_compute(const ComputeOptions& o, const Machine& m);
void measure_compute(const ComputePlan& plan, const std::vector<backends::Device*>& devices, RunSink& sink);

// "4096" (square) or "512x4096x14336" (m x n x k); nullopt when malformed or not positive.
std::optional<suites::GemmShape> parse_gemm_shape(const std::string& text);

}  // namespace specgap::cli
