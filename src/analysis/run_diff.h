#pragma once
// Two runs figure by figure: the same measurement (suite, name, dtype and the parameters that make it
// that measurement) matched across them, its change, and whether the change is larger than the noise
// both runs measured. A fleet operator's "is this node like the others" starts here.
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"

namespace specgap::analysis {

struct FigureChange {
  std::string figure;  // "memory triad 2 threads", "compute gemm fp32 4096x4096x4096", "llm tg128 llama-3.2-1b q4_0"
  std::string unit;
  std::optional<Result> a, b;  // absent where only one run measured it
  double change = 0;           // b / a - 1
  double noise = 0;            // the relative change the two runs' spread can explain
  std::string verdict;         // higher, lower, same (within noise), not judged, only in A, only in B, not comparable
  std::string why;             // for "not judged", in words
  bool lower_is_better = false;
};

// Fewer repetitions than this have no spread to measure noise by (one has a CV of 0): a change between
// such figures is shown but not judged.
inline constexpr int kMinJudgedReps = 3;

// The noise: twice the larger coefficient of variation of the two (a run's repetitions spread that
// much by themselves), and at least the gap the two runs' [min, max] ranges leave unexplained.
std::vector<FigureChange> diff_runs(const RunRecord& a, const RunRecord& b);

// The key two runs' results are matched on.
std::string figure_key(const Result& r);

}  // namespace specgap::analysis
