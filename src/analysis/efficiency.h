#pragma once
// Perf per watt: the mean power drawn while a result was measured, and the result per watt
// (GFLOP/s per W, GB/s per W, tokens per joule), or why there is none.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "core/telemetry.h"

namespace specgap::analysis {

// A stretch of the timeline, [from, to] in its seconds.
struct TimeWindow {
  double from = 0, to = 0;
};

// The ticks of `timeline` (oldest first) whose whole interval since the tick before lies inside one
// window: a tick's power is the mean since the one before (RAPL) or a reading at that instant, so a
// tick whose interval crosses a window's edge would carry other work's power. The timeline's first
// tick has no interval and is left out.
std::vector<TelemetryTick> ticks_within(const std::vector<TelemetryTick>& timeline,
                                        const std::vector<TimeWindow>& windows);

// {"mean_w", "efficiency" and "efficiency_unit" (rates only), "window_seconds", "basis"} where the ticks (those within
// the result's timed windows, `window_seconds` long in all) carry power, else {"available": false,
// "why": ...} naming the sources this machine lacks.
nlohmann::json power_during(const Result& r, const std::vector<TelemetryTick>& ticks, const TelemetryInfo& info,
                            double window_seconds);

// The unit of a figure per watt: tokens/s per W is tokens/J; others are "<unit> per W".
std::string per_watt_unit(const std::string& unit);

}  // namespace specgap::analysis
