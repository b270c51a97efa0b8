#include "telemetry/rapl.h"

namespace specgap::telemetry {

std::optional<uint64_t> energy_delta_uj(uint64_t before, uint64_t after, uint64_t range_uj) {
  if (after >= before) return after - before;
  if (range_uj == 0 || before > range_uj) return std::nullopt;
  // The counter counts 0..range inclusive, so a wrap passes range + 1 values.
  return (range_uj - before) + after + 1;
}

}  // namespace specgap::telemetry
