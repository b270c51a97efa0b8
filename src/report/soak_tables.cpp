#include "report/soak_tables.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>

#include "analysis/telemetry_channels.h"
#include "report/render.h"

namespace specgap::report {
namespace {

// A channel's mean in an interval, or "-".
std::string mean_cell(const nlohmann::json& telemetry, const std::function<std::optional<double>(const TelemetryTick&)>& pick) {
  TelemetryTick t;
  for (auto& [channel, v] : telemetry.items())
    if (v.is_number()) t.readings[channel] = v.get<double>();
  const auto v = pick(t);
  return v ? fmt::format("{:.0f}", *v) : "-";
}

std::optional<double> reading(const TelemetryTick& t, const char* channel) {
  auto it = t.readings.find(channel);
  return it == t.readings.end() ? std::nullopt : std::optional<double>(it->second);
}

}  // namespace

std::string sparkline(const std::vector<double>& values) {
  static const char* kBars[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
  double hi = 0;
  for (double v : values)
    if (std::isfinite(v)) hi = std::max(hi, v);
  std::string out;
  for (double v : values) {
    if (!std::isfinite(v) || hi <= 0) {
      out += " ";
      continue;
    }
    out += kBars[std::clamp(int(std::lround(v / hi * 7)), 0, 7)];
  }
  return out;
}

Table soak_table(const Result& r) {
  Table t{fmt::format("Soak: {} ({}, {})", r.name, r.unit, r.impl),
          {"interval", "from s", r.unit, "add-chain MHz", "CPU MHz", "GPU SM MHz", "hottest C", "power W", "util %",
           "steal %"},
          {},
          {}};
  std::vector<double> rates;
  const auto intervals = r.params.value("intervals", nlohmann::json::array());
  for (auto& in : intervals) {
    const auto telemetry = in.value("telemetry", nlohmann::json::object());
    rates.push_back(in.contains("work") && in.value("busy_seconds", 0.0) > 0
                        ? in["work"].get<double>() / in["busy_seconds"].get<double>()
                        : std::nan(""));
    t.rows.push_back(
        {std::to_string(in.value("interval", 0)), fmt::format("{:.0f}", in.value("t_start", 0.0)),
         format_value(rates.back()),
         in.contains("add_chain_clock_mhz") ? fmt::format("{:.0f}", in["add_chain_clock_mhz"].get<double>()) : "-",
         mean_cell(telemetry, [](const TelemetryTick& x) { return analysis::mean_clock_mhz({x}, "cpu"); }),
         mean_cell(telemetry, [](const TelemetryTick& x) { return analysis::mean_clock_mhz({x}, "gpu"); }),
         mean_cell(telemetry, [](const TelemetryTick& x) -> std::optional<double> {
           auto h = analysis::hottest_sensor({x});
           return h ? std::optional<double>(h->celsius) : std::nullopt;
         }),
         mean_cell(telemetry, [](const TelemetryTick& x) { return analysis::power_w(x); }),
         mean_cell(telemetry, [](const TelemetryTick& x) { return reading(x, "cpu.util_pct"); }),
         mean_cell(telemetry, [](const TelemetryTick& x) { return reading(x, "cpu.steal_pct"); })});
  }
  t.notes.push_back(fmt::format("{} {}  ({} intervals of {} s)", r.name, sparkline(rates), intervals.size(),
                                r.params.value("interval_seconds", 0.0)));
  t.notes.push_back("conclusion: " + r.params.value("conclusion", std::string("-")));
  if (r.check != kCheckPassed) t.notes.push_back("check: " + r.check);
  t.notes.push_back("add-chain MHz: the clock the cores delivered, measured by a 10 ms chain of dependent adds after "
                    "each interval; CPU MHz: APERF/MPERF busy clock, else cpufreq, where this machine exposes them");
  return t;
}

Table telemetry_table(const RunRecord& run) {
  Table t{"", {"result", "mean power W", "per watt"}, {}, {}};
  std::string sampled =
      fmt::format("{} Hz, {} ticks, sources: {}", run.telemetry.hz, run.timeline.size(),
                  run.telemetry.sources.empty() ? "none" : fmt::format("{}", fmt::join(run.telemetry.sources, ", ")));
  if (run.telemetry.wall_seconds > 0)
    sampled += fmt::format("; its thread used {:.3f}% of one core", 100 * run.telemetry.cpu_seconds / run.telemetry.wall_seconds);
  for (auto& r : run.results) {
    const auto p = r.params.value("power", nlohmann::json::object());
    if (!p.contains("mean_w")) continue;
    t.rows.push_back({r.suite + " " + r.name + (r.dtype ? " " + *r.dtype : ""), format_value(p["mean_w"].get<double>()),
                      p.contains("efficiency") ? format_value(p["efficiency"].get<double>()) + " " +
                                                     p.value("efficiency_unit", "")
                                               : "-"});
  }
  if (run.telemetry.hz <= 0 && t.rows.empty()) return t;
  if (t.rows.empty()) {
    // No power figure to tabulate: the table is what was sampled and what this machine lacks.
    t.title = "Telemetry";
    t.header = {"telemetry"};
    t.rows.push_back({"sampled at " + sampled});
    for (auto& u : run.telemetry.unavailable) t.rows.push_back({"not available here: " + u});
    t.rows.push_back({"power: not readable here, so no perf per watt"});
    return t;
  }
  t.title = run.telemetry.hz > 0 ? "Telemetry: " + sampled + "; power per result" : "Telemetry: off (--sample-hz 0)";
  for (auto& u : run.telemetry.unavailable) t.notes.push_back("not available here: " + u);
  return t;
}

}  // namespace specgap::report
