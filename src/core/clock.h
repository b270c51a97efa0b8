#pragma once
// CPU work is timed with the monotonic clock around the parallel region (DESIGN.md, Measuring).
#include <chrono>
#include <cstdint>
#include <string>

namespace specgap {

inline int64_t monotonic_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Smallest step the monotonic clock shows, measured (STREAM warns when a test lasts under ~20 ticks).
int64_t clock_granularity_ns();

// UTC wall time as ISO-8601 with a Z suffix, e.g. 2026-11-25T09:30:12Z.
std::string utc_now_iso8601();

}  // namespace specgap
