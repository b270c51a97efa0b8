#include "analysis/soak.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>

#include "analysis/telemetry_channels.h"
#include "core/stats.h"

namespace specgap::analysis {
namespace {

double median_rate(const std::vector<SoakInterval>& v, size_t from, size_t to) {
  std::vector<double> rates;
  for (size_t i = from; i < to; ++i) rates.push_back(v[i].rate);
  return median(rates);
}

std::vector<TelemetryTick> ticks_in(const std::vector<TelemetryTick>& timeline, double from, double to) {
  std::vector<TelemetryTick> out;
  for (auto& t : timeline)
    if (t.t >= from && t.t <= to) out.push_back(t);
  return out;
}

// The intervals of the first and last window: a minute each, or halves of a shorter run.
std::pair<size_t, size_t> window_ends(const std::vector<SoakInterval>& v) {
  const double start = v.front().t_start, end = v.back().t_end;
  const double window = std::min(60.0, (end - start) / 2);
  size_t first_end = 0, last_begin = v.size();
  while (first_end < v.size() && v[first_end].t_end <= start + window + 1e-9) ++first_end;
  while (last_begin > 0 && v[last_begin - 1].t_start >= end - window - 1e-9) --last_begin;
  first_end = std::max<size_t>(first_end, 1);
  last_begin = std::min(last_begin, v.size() - 1);
  return {first_end, last_begin};
}

std::optional<double> interval_clock(const std::vector<SoakInterval>& v, size_t from, size_t to) {
  std::vector<double> c;
  for (size_t i = from; i < to; ++i)
    if (v[i].clock_mhz) c.push_back(*v[i].clock_mhz);
  if (c.empty()) return std::nullopt;
  return median(c);
}

// What changed between the first window and the intervals from `drop` on.
std::vector<std::string> explain(const std::vector<SoakInterval>& v, size_t first_end, size_t drop,
                                 const std::vector<TelemetryTick>& timeline) {
  std::vector<std::string> why;
  // Half-open, so a tick on the boundary counts after it: the first window is wholly before the fall.
  auto before = ticks_in(timeline, v.front().t_start, v[first_end - 1].t_end);
  while (!before.empty() && before.back().t >= v[first_end - 1].t_end) before.pop_back();
  const auto after = ticks_in(timeline, v[drop].t_start, v.back().t_end);
  auto clock_line = [&](std::optional<double> a, std::optional<double> b, const char* what) {
    if (a && b && *b < 0.95 * *a) why.push_back(fmt::format("{} fell from {:.0f} to {:.0f} MHz", what, *a, *b));
  };
  clock_line(mean_clock_mhz(before, "cpu"), mean_clock_mhz(after, "cpu"), "CPU clock");
  clock_line(mean_clock_mhz(before, "gpu"), mean_clock_mhz(after, "gpu"), "GPU SM clock");
  clock_line(interval_clock(v, 0, first_end), interval_clock(v, drop, v.size()), "core clock (add chain)");
  // On a shared host the hypervisor can take the cores away: the guest sees it only as steal time.
  const auto steal = [](const std::vector<TelemetryTick>& ticks) -> std::optional<double> {
    double sum = 0;
    int n = 0;
    for (auto& t : ticks)
      if (auto it = t.readings.find("cpu.steal_pct"); it != t.readings.end()) sum += it->second, ++n;
    if (n == 0) return std::nullopt;
    return sum / n;
  };
  if (auto a = steal(before), b = steal(after); a && b && *b >= *a + 5)
    why.push_back(fmt::format("the hypervisor took {:.0f}% of CPU time (steal), against {:.0f}% at the start", *b, *a));
  if (auto hot = hottest_sensor(after); hot && hot->limit_c && hot->celsius >= *hot->limit_c - 2)
    why.push_back(fmt::format("{} reached {:.0f} C, its limit {:.0f} C", hot->channel, hot->celsius, *hot->limit_c));
  for (auto& p : power_at_limit(after)) why.push_back(p);
  for (auto& t : throttling_seen(after)) why.push_back("throttle reason " + t);
  return why;
}

}  // namespace

double first_window_seconds(const std::vector<SoakInterval>& v) {
  if (v.empty()) return 0;
  return v[window_ends(v).first - 1].t_end - v.front().t_start;
}

std::string first_window_name(const Result& soak) {
  std::vector<SoakInterval> intervals;
  for (const auto& in : soak.params.value("intervals", nlohmann::json::array()))
    if (in.is_object() && in.value("t_start", nlohmann::json()).is_number() &&
        in.value("t_end", nlohmann::json()).is_number())
      intervals.push_back({in["t_start"].get<double>(), in["t_end"].get<double>(), 0, std::nullopt});
  if (intervals.empty()) return "first intervals";
  const double seconds = first_window_seconds(intervals);
  return std::lround(seconds) == 60 ? "first minute" : "first " + format_duration(seconds);
}

std::string format_duration(double seconds) {
  const long s = std::lround(std::max(0.0, seconds));
  if (s < 60) return fmt::format("{} s", s);
  return fmt::format("{} min {} s", s / 60, s % 60);
}

SoakConclusion conclude_soak(const std::vector<SoakInterval>& v, const std::vector<TelemetryTick>& timeline,
                             const std::string& unit) {
  SoakConclusion c;
  if (v.empty()) {
    c.summary = "no interval completed";
    return c;
  }
  std::vector<double> rates;
  for (auto& i : v) rates.push_back(i.rate);
  c.cv = summarize(rates).cv;
  c.throttling = throttling_seen(timeline);
  if (v.size() < 2) {
    c.first_minute = c.sustained = v.front().rate;
    c.ratio = 1;
    c.summary = "one interval only: too short to judge sustained performance";
    return c;
  }
  const auto [first_end, last_begin] = window_ends(v);
  c.first_minute = median_rate(v, 0, first_end);
  c.sustained = median_rate(v, last_begin, v.size());
  c.ratio = c.first_minute > 0 ? c.sustained / c.first_minute : std::nan("");
  // A fall counts only when the rest of the run stays down with it (its median too, over two intervals
  // at least), so one slow interval on a shared machine is not called throttling.
  const double floor = kDropFraction * c.first_minute;
  for (size_t i = first_end; i + 1 < v.size() && !c.drop; ++i)
    if (v[i].rate < floor && median_rate(v, i, v.size()) < floor) c.drop = i;
  const std::string figures = fmt::format("sustained {:.4g} {} = {:.3f} x the first {:.4g} {}", c.sustained, unit,
                                          c.ratio, c.first_minute, unit);
  if (c.drop) {
    c.why = explain(v, first_end, *c.drop, timeline);
    c.summary = fmt::format("performance fell in interval {} (from {:.0f} s): {}; {}", *c.drop + 1,
                            v[*c.drop].t_start - v.front().t_start, figures,
                            c.why.empty() ? "the telemetry here shows no cause (no change of clock, temperature, "
                                            "power or stolen time was seen)"
                                          : fmt::format("{}", fmt::join(c.why, "; ")));
  } else {
    c.summary = fmt::format("held: {}, spread (CV) {:.1f}%", figures, c.cv * 100);
    if (!c.throttling.empty()) c.summary += fmt::format("; throttling reported: {}", fmt::join(c.throttling, ", "));
  }
  return c;
}

namespace {
// "clocks falling (3000 -> 2460 MHz)" from the first and last clock of a span.
std::string clock_trend(double early, double late, const char* how) {
  if (late < 0.95 * early) return fmt::format("; clocks falling ({:.0f} -> {:.0f} MHz{})", early, late, how);
  if (late > 1.05 * early) return fmt::format("; clocks rising ({:.0f} -> {:.0f} MHz{})", early, late, how);
  return fmt::format("; clocks steady ({:.0f} MHz{})", late, how);
}

// The add chain's trend: the mean of the first and of the last three intervals kept.
std::string add_chain_trend(const std::vector<double>& mhz) {
  const size_t k = std::min<size_t>(3, mhz.size() / 2);
  if (k == 0) return "";
  double early = 0, late = 0;
  for (size_t i = 0; i < k; ++i) early += mhz[i] / double(k), late += mhz[mhz.size() - 1 - i] / double(k);
  return clock_trend(early, late, ", add chain");
}
}  // namespace

std::string describe_stopped_soak(const std::string& started_hhmm, double seconds, bool rebooted,
                                  const std::vector<TelemetryTick>& last_minute, const std::vector<double>& add_chain_mhz) {
  std::string line = fmt::format("soak of {} stopped after {}: {}", started_hhmm, format_duration(seconds),
                                 rebooted ? "the machine rebooted" : "its process was killed");
  if (last_minute.empty()) {
    const std::string trend = add_chain_trend(add_chain_mhz);
    return line + (trend.empty() ? "; no telemetry was stored" : "; no telemetry was stored" + trend);
  }
  if (auto hot = hottest_sensor({last_minute.back()}))
    line += hot->limit_c ? fmt::format("; last temperature {:.0f} C (limit {:.0f} C)", hot->celsius, *hot->limit_c)
                         : fmt::format("; last temperature {:.0f} C", hot->celsius);
  if (auto p = power_w(last_minute.back())) line += fmt::format("; last power {:.0f} W", *p);
  // The clock trend over that minute: its first ten seconds against its last ten.
  const double t0 = last_minute.front().t, t1 = last_minute.back().t;
  const auto early = mean_clock_mhz(ticks_in(last_minute, t0, t0 + 10));
  const auto late = mean_clock_mhz(ticks_in(last_minute, t1 - 10, t1));
  if (early && late) line += clock_trend(*early, *late, "");
  else if (const std::string trend = add_chain_trend(add_chain_mhz); !trend.empty()) line += trend;
  else line += "; clocks not readable here";
  for (auto& t : throttling_seen(last_minute)) line += "; throttle reason " + t;
  return line;
}

}  // namespace specgap::analysis
