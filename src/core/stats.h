#pragma once
// Statistics over raw repetitions: pure functions, edge cases spelled out (after google/benchmark's
// statistics.cc). Measuring code keeps every sample; these only summarise.
#include <cstddef>
#include <span>

namespace specgap {

struct Stats {
  double median = 0;
  double mean = 0;
  double min = 0;
  double max = 0;
  double stddev = 0;  // sample standard deviation (n-1); 0 for a single sample
  double cv = 0;      // stddev / mean; NaN when the mean is 0
  size_t reps = 0;
};

// Empty input gives reps = 0 and NaN everywhere else.
Stats summarize(std::span<const double> samples);

double median(std::span<const double> samples);  // NaN when empty

}  // namespace specgap
