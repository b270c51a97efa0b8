// The soak: the delivered rate per interval with the first minute and the sustained rate marked and
// the interval where it fell, and under it, on the same time axis, what the telemetry saw in each
// interval (clock, hottest sensor, power, utilisation); then the whole run's telemetry timeline.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>

#include "analysis/soak.h"
#include "analysis/telemetry_channels.h"
#include "report/html_sections.h"
#include "report/html_text.h"
#include "report/render.h"
#include "report/result_method.h"
#include "report/soak_tables.h"
#include "report/svg_lines.h"

namespace specgap::report {
namespace {

// What a panel of telemetry plots, read from one tick by meaning (analysis/telemetry_channels.h).
struct Channel {
  const char* name;
  const char* unit;
  std::optional<double> (*read)(const TelemetryTick&);
};

std::optional<double> reading(const TelemetryTick& t, const char* channel) {
  auto it = t.readings.find(channel);
  return it == t.readings.end() ? std::nullopt : std::optional<double>(it->second);
}

const Channel kClocks[] = {
    {"CPU clock", "MHz", [](const TelemetryTick& t) { return analysis::mean_clock_mhz({t}, "cpu"); }},
    {"GPU SM clock", "MHz", [](const TelemetryTick& t) { return analysis::mean_clock_mhz({t}, "gpu"); }},
};
const Channel kHottest = {"hottest sensor", "C", [](const TelemetryTick& t) -> std::optional<double> {
                            auto h = analysis::hottest_sensor({t});
                            return h ? std::optional<double>(h->celsius) : std::nullopt;
                          }};
const Channel kPower = {"power", "W", [](const TelemetryTick& t) { return analysis::power_w(t); }};
const Channel kUtilisation[] = {
    {"CPU utilisation", "%", [](const TelemetryTick& t) { return reading(t, "cpu.util_pct"); }},
    {"steal", "%", [](const TelemetryTick& t) { return reading(t, "cpu.steal_pct"); }},
};

svg::Series series_of(const Channel& c, size_t colour, const std::vector<std::pair<double, TelemetryTick>>& ticks) {
  svg::Series s{c.name, fmt::format("s{}", colour % 6), {}, ticks.size() <= 60, c.unit};
  for (auto& [t, tick] : ticks)
    if (auto v = c.read(tick)) s.points.push_back({t, *v});
  return s;
}

// The telemetry panels of a list of (time, tick) pairs: clocks, hottest sensor, power, utilisation.
std::vector<svg::LinePanel> telemetry_panels(const std::vector<std::pair<double, TelemetryTick>>& ticks,
                                             svg::Series extra_clock) {
  svg::LinePanel clocks{"clock", "MHz", {}, false, {}, {}, {}};
  if (!extra_clock.points.empty()) clocks.series.push_back(std::move(extra_clock));
  for (auto& c : kClocks) clocks.series.push_back(series_of(c, clocks.series.size() + 1, ticks));
  svg::LinePanel hottest{"hottest sensor", "C", {series_of(kHottest, 3, ticks)}, false, {}, {}, {}};
  if (!ticks.empty())
    if (auto h = analysis::hottest_sensor({ticks.back().second}); h && h->limit_c)
      hottest.y_markers.push_back({*h->limit_c, fmt::format("{} limit {:.0f} C", h->channel, *h->limit_c)});
  svg::LinePanel power{"power", "W", {series_of(kPower, 4, ticks)}, false, {}, {}, {}};
  svg::LinePanel util{"utilisation", "%", {}, false, {}, {}, {}};
  for (size_t i = 0; i < std::size(kUtilisation); ++i) util.series.push_back(series_of(kUtilisation[i], 5 + i, ticks));
  // Utilisation keeps its 0-100 scale; the others are zoomed to show a few percent of change.
  for (auto* p : {&clocks, &hottest, &power}) p->y_zoom = true;
  std::vector<svg::LinePanel> panels = {clocks, hottest, power, util};
  for (auto& p : panels) p.height = 120;
  return panels;
}

TelemetryTick tick_of_interval(const nlohmann::json& interval) {
  TelemetryTick t;
  if (!interval.contains("telemetry") || !interval["telemetry"].is_object()) return t;
  for (auto& [channel, v] : interval["telemetry"].items())
    if (v.is_number()) t.readings[channel] = v.get<double>();
  return t;
}

std::vector<svg::LinePanel> soak_panels(const Result& r) {
  const auto intervals = r.params.value("intervals", nlohmann::json::array());
  svg::Series rate{r.name + " rate", "s0", {}, true, r.unit};
  svg::Series add_chain{"add-chain clock", "s0", {}, true, "MHz"};
  std::vector<std::pair<double, TelemetryTick>> ticks;
  std::vector<svg::Marker> fell;
  const auto drop = r.params.value("drop_interval", nlohmann::json());
  for (auto& in : intervals) {
    const double from = in.value("t_start", 0.0), to = in.value("t_end", from);
    const double mid = (from + to) / 2, busy = in.value("busy_seconds", 0.0);
    if (in.contains("work") && in["work"].is_number() && busy > 0)
      rate.points.push_back({mid, in["work"].get<double>() / busy});
    if (in.contains("add_chain_clock_mhz") && in["add_chain_clock_mhz"].is_number())
      add_chain.points.push_back({mid, in["add_chain_clock_mhz"].get<double>()});
    ticks.push_back({mid, tick_of_interval(in)});
    if (drop.is_number() && in.value("interval", -1) == drop.get<int>()) fell.push_back({from, "fell here"});
  }
  svg::LinePanel rate_panel{fmt::format("{} ({})", r.name, r.impl), r.unit, {rate}, false, {}, fell, {}};
  if (r.params.contains("first_minute") && r.params["first_minute"].is_number())
    rate_panel.y_markers.push_back({r.params["first_minute"].get<double>(),
                                    analysis::first_window_name(r) + " " +
                                        format_value(r.params["first_minute"].get<double>())});
  if (std::isfinite(r.value)) rate_panel.y_markers.push_back({r.value, "sustained " + format_value(r.value)});
  std::vector<svg::LinePanel> panels = {rate_panel};
  for (auto& p : telemetry_panels(ticks, add_chain)) {
    p.title = r.name + ": " + p.title + " (mean per interval)";
    for (auto& m : fell) p.x_markers.push_back({m.at, ""});  // the rate panel above names it
    panels.push_back(std::move(p));
  }
  return panels;
}

std::string soak_notes(const Result& r) {
  std::string out = "<p class=\"conclusion\"><b>" + html_escape(r.name) + "</b>: " +
                    html_escape(r.params.value("conclusion", std::string("no conclusion stored"))) + "</p>";
  for (const char* key : {"why", "throttling"})
    for (auto& line : r.params.value(key, nlohmann::json::array()))
      if (line.is_string()) out += "<p class=\"note\">" + html_escape(line.get<std::string>()) + "</p>";
  return out;
}

// Ticks averaged into at most `buckets` groups by time, so a long run draws a readable line.
std::vector<std::pair<double, TelemetryTick>> thinned(const std::vector<TelemetryTick>& timeline, size_t buckets) {
  std::vector<std::pair<double, TelemetryTick>> out;
  const size_t per = std::max<size_t>(1, (timeline.size() + buckets - 1) / buckets);
  for (size_t i = 0; i < timeline.size(); i += per) {
    const size_t end = std::min(timeline.size(), i + per);
    TelemetryTick mean;
    std::map<std::string, int> counts;
    for (size_t j = i; j < end; ++j)
      for (auto& [channel, v] : timeline[j].readings) mean.readings[channel] += v, ++counts[channel];
    for (auto& [channel, v] : mean.readings) v /= counts[channel];
    out.push_back({(timeline[i].t + timeline[end - 1].t) / 2, mean});
  }
  return out;
}

}  // namespace

std::string soak_section(const RunRecord& run) {
  const auto rs = results_of(run, "soak");
  if (rs.empty()) return html_section("soak", "Soak", html_empty("Not measured in this run (specgap soak)."));
  std::vector<svg::LinePanel> panels;
  std::string notes, tables;
  for (auto* r : rs) {
    auto p = soak_panels(*r);
    panels.insert(panels.end(), p.begin(), p.end());
    notes += soak_notes(*r);
    tables += html_table(soak_table(*r));
  }
  const std::string body = notes +
                           svg::line_chart("chart-soak", "Soak: rate per interval and the telemetry beside it",
                                           {"seconds since the soak started", false, svg::short_number}, panels) +
                           tables + html_method_list(rs);
  return html_section("soak", "Soak", body);
}

std::string telemetry_section(const RunRecord& run) {
  std::string body;
  const auto& info = run.telemetry;
  if (info.hz <= 0) {
    body = html_empty("Telemetry was off for this run (--sample-hz 0).");
  } else {
    body += "<p class=\"lead\">" +
            html_escape(fmt::format("Sampled at {} Hz on its own thread, {} ticks; sources: {}.", info.hz,
                                    run.timeline.size(),
                                    info.sources.empty() ? "none" : fmt::format("{}", fmt::join(info.sources, ", ")))) +
            "</p>";
    const auto panels = telemetry_panels(thinned(run.timeline, 400), {});
    const bool any = std::any_of(panels.begin(), panels.end(), [](auto& p) {
      return std::any_of(p.series.begin(), p.series.end(), [](auto& s) { return !s.points.empty(); });
    });
    body += any ? svg::line_chart("chart-telemetry", "Telemetry over the whole run",
                                  {"seconds since the run started", false, svg::short_number}, panels)
                : html_empty("No telemetry tick was stored for this run.");
  }
  // Power per result, where power was readable (the table's other form lists what was sampled, said above).
  if (auto t = telemetry_table(run); !t.rows.empty() && t.header.front() == "result") body += html_table(t);
  if (!info.unavailable.empty()) {
    body += "<details class=\"method\" open><summary>Not available on this machine</summary><ul>";
    for (auto& u : info.unavailable) body += "<li>" + html_escape(u) + "</li>";
    body += "</ul></details>";
  }
  return html_section("telemetry", "Telemetry", body);
}

}  // namespace specgap::report
