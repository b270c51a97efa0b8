#include <fmt/format.h>

#include <ctime>
#include <random>

#include "store/store.h"

namespace specgap {

// Compact UTC time first so ids sort by start and name their run; 24 random bits keep two runs
// started in the same second (by two processes on one database) apart.
std::string new_run_id() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &utc);
  std::random_device entropy;
  std::uniform_int_distribution<uint32_t> bits24(0, 0xffffff);
  return fmt::format("{}-{:06x}", stamp, bits24(entropy));
}

}  // namespace specgap
