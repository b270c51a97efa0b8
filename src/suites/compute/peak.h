#pragma once
// Peak compute per dtype on any device: the register-resident kernels the device offers for each
// dtype (backends/device.h), each checked in closed form, then timed in interleaved repetitions
// (harness/measure.h). The figure is held against the device's theoretical peak at the clock its
// kernels ran at, where the device can say (cores x measured clock x ops per cycle on the CPU).
#include <string>
#include <vector>

#include "backends/device.h"
#include "core/dtype.h"
#include "core/result.h"
#include "core/sink.h"

namespace specgap::suites {

struct PeakConfig {
  std::vector<int> cpus;            // host threads, one pinned per entry (the CPU device)
  int cores = 0;                    // physical cores under those CPUs (SMT siblings count once);
                                    // 0: each distinct CPU is taken as a core
  std::vector<Dtype> dtypes;        // empty: fp64 fp32 bf16 fp16 int8
  std::vector<std::string> impls;   // empty: every kernel; else only these (e.g. avx512-fma)
  int reps = 10;
  double rep_seconds = 0.1;         // each repetition runs whole kernel calls for about this long
};

// One result per dtype: the best kernel by median, or, where the device has no kernel for it, a
// result whose check says why ("unsupported: ...") and whose value is undefined. A dtype whose every
// kernel --impl left out has no result.
std::vector<Result> measure_peak(backends::Device& device, const PeakConfig& config, RunSink& sink);

// Units of a compute figure: TFLOP/s for floating point, TOP/s for integers.
std::string compute_unit(Dtype d);

// A CPU compute result named `name` ("peak", "gemm") for `d`, with its unit and no figure yet.
Result compute_result(const std::string& name, Dtype d);

}  // namespace specgap::suites
