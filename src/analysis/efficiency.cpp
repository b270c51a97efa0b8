#include "analysis/efficiency.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>

#include "analysis/telemetry_channels.h"

namespace specgap::analysis {

std::string per_watt_unit(const std::string& unit) {
  if (unit == "tokens/s") return "tokens/J";
  return unit + " per W";
}

std::vector<TelemetryTick> ticks_within(const std::vector<TelemetryTick>& timeline,
                                        const std::vector<TimeWindow>& windows) {
  std::vector<TelemetryTick> out;
  for (size_t i = 1; i < timeline.size(); ++i)
    for (const auto& w : windows)
      if (timeline[i - 1].t >= w.from && timeline[i].t <= w.to) {
        out.push_back(timeline[i]);
        break;
      }
  return out;
}

nlohmann::json power_during(const Result& r, const std::vector<TelemetryTick>& ticks, const TelemetryInfo& info,
                            double window_seconds) {
  const auto watts = mean_power_w(ticks);
  if (!watts) {
    std::vector<std::string> missing;
    for (auto& u : info.unavailable)
      if (u.find("power") != std::string::npos || u.find("NVIDIA") != std::string::npos) missing.push_back(u);
    const char* no_tick = window_seconds > 0 ? "no telemetry tick fell wholly inside its timed repetitions"
                                             : "it has no timed work of its own";
    return {{"available", false},
            {"why", ticks.empty() ? std::string(no_tick) : fmt::format("no power reading here ({})", fmt::join(missing, "; "))}};
  }
  nlohmann::json j = {{"mean_w", *watts},
                      {"window_seconds", window_seconds},
                      {"basis", "mean of the power telemetry (RAPL packages, GPU boards) over the ticks wholly inside its own "
                                "timed repetitions"}};
  // Only a rate divides by power into something per joule; a time (TTFT, TPOT, a load's latency)
  // per watt means nothing, and the decode rate beside TPOT already carries tokens/J.
  const bool rate = r.unit.size() > 2 && r.unit.compare(r.unit.size() - 2, 2, "/s") == 0;
  if (rate && std::isfinite(r.value) && *watts > 0) {
    j["efficiency"] = r.value / *watts;
    j["efficiency_unit"] = per_watt_unit(r.unit);
  }
  return j;
}

}  // namespace specgap::analysis
