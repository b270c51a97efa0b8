#pragma once
// Reading a telemetry timeline by what its channels mean (core/telemetry.h names them): the power a
// machine drew, its hottest sensor against its limit, its clock, and NVML's throttle reasons.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/telemetry.h"

namespace specgap::analysis {

// Watts drawn at one tick: the top-level RAPL domains (packages, psys left out when a package is
// there, since it already holds them), hwmon power inputs and every GPU's board power. An APU's
// whole-chip power (gpuN.soc_power_w, CPU included) stands in for the packages where RAPL has none.
// nullopt when the tick has no power channel.
std::optional<double> power_w(const TelemetryTick& tick);

// The mean of power_w over the ticks that have it; nullopt when none has.
std::optional<double> mean_power_w(const std::vector<TelemetryTick>& ticks);

// The mean over ticks of the machine's clock, in MHz: the cores' busy clock from APERF/MPERF, else
// cpufreq's mean across cores, else the mean of the GPUs' SM clocks. `which` says which: "cpu" or "gpu" (either when empty).
std::optional<double> mean_clock_mhz(const std::vector<TelemetryTick>& ticks, const std::string& which = "");

struct HottestSensor {
  std::string channel;               // "hwmon.k10temp.tctl"
  double celsius = 0;
  std::optional<double> limit_c;     // its limit, where the sensor reports one
};
// The sensor closest to its limit (or, when none has a limit, the hottest) over the ticks.
std::optional<HottestSensor> hottest_sensor(const std::vector<TelemetryTick>& ticks);

// A power channel at its limit over the ticks: "gpu0 drew 698 W of its 700 W limit".
std::vector<std::string> power_at_limit(const std::vector<TelemetryTick>& ticks);

// NVML clocks_event_reasons bits that slow a GPU down, by name (idle, application clocks and display
// settings are not throttling and are left out): sw_power_cap, hw_slowdown, sync_boost,
// sw_thermal_slowdown, hw_thermal_slowdown, hw_power_brake_slowdown.
std::vector<std::string> throttle_reasons(uint64_t mask);

// Every throttle reason any GPU reported over the ticks, as "gpu0 sw_thermal_slowdown from 12.0 s".
std::vector<std::string> throttling_seen(const std::vector<TelemetryTick>& ticks);

}  // namespace specgap::analysis
