#include "analysis/telemetry_channels.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace specgap::analysis {
namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}
bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

// A GPU channel: "gpu3.power_w" -> "gpu3", else "".
std::string gpu_of(const std::string& channel) {
  if (!starts_with(channel, "gpu")) return "";
  const auto dot = channel.find('.');
  return dot == std::string::npos ? "" : channel.substr(0, dot);
}

template <typename F>
std::optional<double> mean_of(const std::vector<TelemetryTick>& ticks, F&& value_at) {
  double sum = 0;
  int n = 0;
  for (auto& t : ticks)
    if (auto v = value_at(t)) sum += *v, ++n;
  if (n == 0) return std::nullopt;
  return sum / n;
}

}  // namespace

std::optional<double> power_w(const TelemetryTick& tick) {
  double rapl_packages = 0, psys = 0, apu_chips = 0, other = 0;
  bool any = false, has_package = false, has_psys = false, has_apu = false;
  for (auto& [channel, v] : tick.readings) {
    if (!ends_with(channel, "_w") || ends_with(channel, "_limit_w")) continue;
    if (starts_with(channel, "rapl.")) {
      // Top level only: "rapl.package-0_w", not its parts "rapl.package-0.dram_w".
      if (channel.find('.', 5) != std::string::npos) continue;
      if (starts_with(channel, "rapl.psys")) has_psys = true, psys += v;
      else has_package = true, rapl_packages += v;
      any = true;
    } else if (!gpu_of(channel).empty() && ends_with(channel, ".soc_power_w")) {
      has_apu = true, apu_chips += v;
      any = true;
    } else if (starts_with(channel, "hwmon.") || (!gpu_of(channel).empty() && ends_with(channel, ".power_w"))) {
      other += v;
      any = true;
    }
  }
  if (!any) return std::nullopt;
  // An APU's soc_power is its whole chip, the same socket a RAPL package measures: one or the other.
  if (has_package) return rapl_packages + other;
  if (has_apu) return apu_chips + other;
  return (has_psys ? psys : 0.0) + other;
}

std::optional<double> mean_power_w(const std::vector<TelemetryTick>& ticks) {
  return mean_of(ticks, [](const TelemetryTick& t) { return power_w(t); });
}

std::optional<double> mean_clock_mhz(const std::vector<TelemetryTick>& ticks, const std::string& which) {
  if (which != "gpu")
    // APERF/MPERF's busy clock first: cpufreq's scaling_cur_freq is a request on some drivers.
    for (const char* channel : {"cpu.busy_mean_mhz", "cpu.freq_mean_mhz"})
      if (auto cpu = mean_of(ticks, [channel](const TelemetryTick& t) -> std::optional<double> {
            auto it = t.readings.find(channel);
            if (it == t.readings.end()) return std::nullopt;
            return it->second;
          }))
        return cpu;
  if (which == "cpu") return std::nullopt;
  return mean_of(ticks, [](const TelemetryTick& t) -> std::optional<double> {
    double sum = 0;
    int n = 0;
    for (auto& [channel, v] : t.readings)
      if (!gpu_of(channel).empty() && ends_with(channel, ".sm_clock_mhz")) sum += v, ++n;
    if (n == 0) return std::nullopt;
    return sum / n;
  });
}

std::optional<HottestSensor> hottest_sensor(const std::vector<TelemetryTick>& ticks) {
  std::optional<HottestSensor> best;
  double best_margin = 1e300;  // limit - temperature; sensors without a limit rank after all with one
  for (auto& t : ticks)
    for (auto& [channel, v] : t.readings) {
      if (!ends_with(channel, "_c") || ends_with(channel, "_limit_c")) continue;
      const std::string name = channel.substr(0, channel.size() - 2);
      std::optional<double> limit;
      if (auto it = t.readings.find(name + "_limit_c"); it != t.readings.end()) limit = it->second;
      const double margin = limit ? *limit - v : 1e200 - v;
      if (!best || margin < best_margin) {
        best = HottestSensor{name, v, limit};
        best_margin = margin;
      }
    }
  return best;
}

std::vector<std::string> power_at_limit(const std::vector<TelemetryTick>& ticks) {
  // A channel counts when its mean over the ticks is within 3% of its limit.
  std::map<std::string, std::pair<double, double>> sums;  // channel -> (sum of draw / limit, n)
  for (auto& t : ticks)
    for (auto& [channel, v] : t.readings) {
      if (!ends_with(channel, "_limit_w")) continue;
      const std::string name = channel.substr(0, channel.size() - 8);
      auto draw = t.readings.find(name + "_w");
      if (draw == t.readings.end() || v <= 0) continue;
      sums[name].first += draw->second / v;
      sums[name].second += 1;
    }
  std::vector<std::string> out;
  for (auto& [name, s] : sums) {
    const double fraction = s.first / s.second;
    if (fraction < 0.97) continue;
    const auto limit = ticks.back().readings.count(name + "_limit_w") ? ticks.back().readings.at(name + "_limit_w") : 0.0;
    // "gpu0.power" is GPU 0's board power: name the device.
    const std::string who = ends_with(name, ".power") ? name.substr(0, name.size() - 6) : name;
    out.push_back(fmt::format("{} drew {:.0f}% of its {:.0f} W power limit", who, fraction * 100, limit));
  }
  return out;
}

std::vector<std::string> throttle_reasons(uint64_t mask) {
  static const std::pair<uint64_t, const char*> kReasons[] = {
      {0x4, "sw_power_cap"},         {0x8, "hw_slowdown"},          {0x10, "sync_boost"},
      {0x20, "sw_thermal_slowdown"}, {0x40, "hw_thermal_slowdown"}, {0x80, "hw_power_brake_slowdown"}};
  std::vector<std::string> out;
  for (auto& [bit, name] : kReasons)
    if (mask & bit) out.push_back(name);
  return out;
}

std::vector<std::string> throttling_seen(const std::vector<TelemetryTick>& ticks) {
  std::map<std::string, double> first;  // "gpu0 sw_thermal_slowdown" -> first t
  std::vector<std::string> order;
  for (auto& t : ticks)
    for (auto& [channel, v] : t.readings) {
      if (!ends_with(channel, ".clocks_event_mask")) continue;
      for (auto& reason : throttle_reasons(uint64_t(v))) {
        const std::string key = gpu_of(channel) + " " + reason;
        if (first.emplace(key, t.t).second) order.push_back(key);
      }
    }
  std::vector<std::string> out;
  for (auto& key : order) out.push_back(fmt::format("{} from {:.1f} s", key, first[key]));
  return out;
}

}  // namespace specgap::analysis
