#pragma once
// Perf per watt: the mean power drawn while a result was measured, and the result per watt
// (GFLOP/s per W, GB/s per W, tokens per joule), or why there is none.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "core/telemetry.h"

namespace specgap::analysis {

// {"mean_w", "efficiency", "efficiency_unit", "window_seconds", "basis"} where the ticks carry power,
// else {"available": false, "why": ...} naming the sources this machine lacks.
nlohmann::json power_during(const Result& r, const std::vector<TelemetryTick>& ticks, const TelemetryInfo& info,
                            double window_seconds);

// The unit of a figure per watt: tokens/s per W is tokens/J; others are "<unit> per W".
std::string per_watt_unit(const std::string& unit);

}  // namespace specgap::analysis
