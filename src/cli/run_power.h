#pragma once
// Attaches to a result the power drawn while it was measured (analysis/efficiency.h) as params.power.
#include <vector>

#include "analysis/efficiency.h"

namespace specgap::cli {

inline void attach_power(Result& r, const std::vector<TelemetryTick>& ticks, const TelemetryInfo& info,
                         double window_seconds) {
  r.params["power"] = analysis::power_during(r, ticks, info, window_seconds);
}

}  // namespace specgap::cli
