#include "core/clock.h"

#include <ctime>

namespace specgap {

int64_t clock_granularity_ns() {
  int64_t best = INT64_MAX;
  for (int i = 0; i < 32; ++i) {
    int64_t t0 = monotonic_ns(), t1;
    while ((t1 = monotonic_ns()) == t0) {
    }
    if (t1 - t0 < best) best = t1 - t0;
  }
  return best;
}

std::string utc_now_iso8601() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace specgap
