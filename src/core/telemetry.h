#pragma once
// The telemetry timeline that runs beside every suite (clocks, temperatures, power, utilisation,
// throttle reasons), as plain data every layer can hold: the telemetry layer produces ticks, the
// store keeps them, analysis and reports read them.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace specgap {

// One sampling instant. A channel's name says what and where, its suffix the unit:
//   _mhz clock, _c temperature, _w power, _pct utilisation, _bytes memory, _mask a bit set of
//   throttle reasons (NVML's clocks_event_reasons), _gen and _width a PCIe link.
// e.g. "cpu3.freq_mhz", "hwmon.k10temp.tctl_c", "rapl.package-0_w", "gpu0.sm_clock_mhz".
struct TelemetryTick {
  double t = 0;  // seconds since the run started, on the monotonic clock
  std::map<std::string, double> readings;
};

nlohmann::json to_json(const TelemetryTick& tick);
// Throws specgap::Error on a malformed tick.
TelemetryTick tick_from_json(const nlohmann::json& j);

// What a run's telemetry could and could not see. `unavailable` holds one line per source this
// machine lacks, naming the path or library that was missing ("temperatures: no /sys/class/hwmon").
struct TelemetryInfo {
  double hz = 0;  // 0: sampling was off
  std::vector<std::string> sources;
  std::vector<std::string> unavailable;
  // The PCI address ("0000:3b:00.0", core/pci_address.h) of the GPU whose channels are "gpuN.",
  // at index N; "" where its source tells none. How a device of another numbering (Vulkan's) finds its
  // own channels.
  std::vector<std::string> gpu_pci;
  // What sampling cost: CPU seconds its thread used (storing included), over the seconds it ran.
  double cpu_seconds = 0, wall_seconds = 0;
};

nlohmann::json to_json(const TelemetryInfo& info);
TelemetryInfo telemetry_info_from_json(const nlohmann::json& j);

// The timeline of the run in progress, as a suite sees it while measuring.
class TelemetryFeed {
 public:
  virtual ~TelemetryFeed() = default;
  // Seconds since the run started, on the clock the ticks use.
  virtual double now() const = 0;
  // The time on that clock of a monotonic_ns() reading (a TimedSpan's ends).
  virtual double at(int64_t monotonic_ns) const = 0;
  // Ticks with t in [from, to], oldest first.
  virtual std::vector<TelemetryTick> between(double from, double to) const = 0;
  virtual const TelemetryInfo& info() const = 0;
};

}  // namespace specgap
