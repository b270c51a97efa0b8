#pragma once
// Peak compute per dtype: register-resident kernels (backends/cpu/peak_kernels.h), one pinned thread
// per core, each kernel checked, then timed in repetitions interleaved across kernels. The core clock
// is measured on every thread right after each repetition, so the theoretical peak the result is held
// against is cores x the clock this load really ran at x the ops per cycle of the core's table row.
#include <string>
#include <vector>

#include "core/dtype.h"
#include "core/result.h"
#include "core/sink.h"

namespace specgap::suites {

struct PeakConfig {
  std::vector<int> cpus;            // one pinned thread per entry
  int cores = 0;                    // physical cores under those CPUs (SMT siblings count once);
                                    // 0: each distinct CPU is taken as a core
  std::vector<Dtype> dtypes;        // empty: every dtype with a kernel built in
  std::vector<std::string> impls;   // empty: every kernel; else only these (e.g. avx512-fma)
  std::string uarch_id;             // the core's row in the peak-rate table (probe/peak_rates.h)
  int reps = 10;
  double rep_seconds = 0.1;         // each repetition runs whole kernel calls for about this long
};

// One result per dtype: the best kernel by median, or, where no kernel can run, a result whose
// check says why ("unsupported: ...") and whose value is undefined.
std::vector<Result> measure_peak(const PeakConfig& config, RunSink& sink);

// Units of a compute figure: TFLOP/s for floating point, TOP/s for integers.
std::string compute_unit(Dtype d);

// A CPU compute result named `name` ("peak", "gemm") for `d`, with its unit and no figure yet.
Result compute_result(const std::string& name, Dtype d);

}  // namespace specgap::suites
