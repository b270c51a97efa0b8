#pragma once
// The compute suite's view: peak and GEMM figures per dtype, each held against the theoretical peak
// it was measured against, with the formula and its source under the table.
#include <string>
#include <vector>

#include "core/result.h"
#include "report/table.h"

namespace specgap::report {

// Each of one device's results; `on` names a device other than the CPU in the title ("gpu0 (...)").
Table peak_table(const std::vector<const Result*>& results, const std::string& on = "");
// One row per dtype: the best library on the best shape, with what it ran and under which environment.
Table gemm_table(const std::vector<const Result*>& results, const std::string& on = "");
// The sweep behind it: one row per dtype and shape, one column per library (median).
Table gemm_curve_table(const std::vector<const Result*>& results, const std::string& on = "");

// A compute figure in the unit a person reads best: G-units below 1 T-unit (0.5631 TFLOP/s reads
// 563.1 GFLOP/s). Returns {value, unit}.
struct Scaled {
  double value;
  std::string unit;
};
Scaled readable_compute(double value, const std::string& unit);

}  // namespace specgap::report
