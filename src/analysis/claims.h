#pragma once
// Claim vs delivered: pure functions from a spec-sheet (or theoretical) figure and a measured one to
// a verdict. No I/O, so every rule (units, sparse claims, missing figures) is tested with plain data.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.h"

namespace specgap::analysis {

struct Claim {
  std::string what;                  // "compute", "memory", ...
  std::optional<std::string> dtype;  // fp32, bf16, ... for compute
  double value = 0;
  std::string unit;                  // TFLOP/s, GFLOP/s, TOP/s, GB/s, TB/s, ...
  bool sparse = false;               // counts 2:4 structured sparsity (vendors' "with sparsity")
  std::string source;                // where the figure comes from
};

struct Delivered {
  double value = 0;
  std::string unit;
  std::string how;  // what delivered it, e.g. "peak avx512-fma" or "gemm onednn 4096x4096x4096"
};

struct Verdict {
  std::string what;
  std::string device;    // whose figure was held: cpu, gpu0, ...
  std::optional<std::string> dtype;
  double claimed = 0;    // in `unit`; a sparse claim is halved to its dense equivalent
  double delivered = 0;  // in `unit`
  std::string unit;
  double ratio = 0;      // delivered / claimed
  std::string claim_source;
  std::string note;
};

// A verdict in the claim's unit; nullopt when the units measure different things (GB/s vs TFLOP/s),
// or either figure is not a positive finite number.
std::optional<Verdict> claim_vs_delivered(const Claim& claim, const Delivered& delivered);

// The factor that turns a figure in `from` into one in `to` (TFLOP/s -> GFLOP/s is 1000); nullopt
// when they are not the same kind of quantity.
std::optional<double> unit_factor(const std::string& from, const std::string& to);

nlohmann::json to_json(const Verdict& v);

// The verdicts a run's own results support without a catalog: each compute figure against the
// theoretical peak of the cores that ran it (cores x measured clock x ops per cycle).
std::vector<Verdict> theoretical_peak_verdicts(const std::vector<Result>& results);

}  // namespace specgap::analysis
