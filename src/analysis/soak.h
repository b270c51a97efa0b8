#pragma once
// What a sustained run concludes, from its per-interval figures and the telemetry beside them: the
// sustained / first-minute ratio, the interval where performance fell (and stayed down), what the
// telemetry says about why, and the spread. Pure functions, tested on synthetic timelines.
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/telemetry.h"

namespace specgap::analysis {

struct SoakInterval {
  double t_start = 0, t_end = 0;      // seconds since the run started, on the telemetry clock
  double rate = 0;                    // work per second in this interval (GFLOP/s, GB/s, tokens/s)
  std::optional<double> clock_mhz;    // the add chain's clock measured after it, where measured
};

struct SoakConclusion {
  double first_minute = 0;            // median rate of the first minute (the first half when shorter)
  double sustained = 0;               // median rate of the last minute (the last half when shorter)
  double ratio = 0;                   // sustained / first_minute
  double cv = 0;                      // spread of all intervals
  std::optional<size_t> drop;         // first interval from which the rate stays 10% below the start
                                      // (for two intervals at least)
  std::vector<std::string> why;       // what the telemetry shows at the drop (or over the run)
  std::vector<std::string> throttling;  // throttle reasons reported anywhere in the run
  std::string summary;                // one line
};

// A rate counts as fallen when it is below this fraction of the first minute's median.
inline constexpr double kDropFraction = 0.90;

// How long the stretch is that `first_minute` is the median of: the intervals that end within the
// first minute, or within the first half of a soak shorter than two minutes (one interval at least).
double first_window_seconds(const std::vector<SoakInterval>& intervals);

// What a stored soak result's start rate (params.first_minute) was measured over, from its intervals:
// "first minute" only when the soak ran long enough to have one, else "first 20 s".
std::string first_window_name(const Result& soak);

// `timeline` is every tick of the run (empty when telemetry was off). `unit` is the rate's unit.
SoakConclusion conclude_soak(const std::vector<SoakInterval>& intervals, const std::vector<TelemetryTick>& timeline,
                             const std::string& unit);

// The line for a soak that never finished, from its last minute of telemetry: "soak of 12:03
// stopped after 7 min 12 s: the machine rebooted; last temperature 97 C (limit 100 C), clocks
// falling". `started_hhmm` is its start as HH:MM, `seconds` how long it ran. Where the telemetry has
// no clock, the add-chain clocks the soak measured after its intervals (oldest first) give the trend.
std::string describe_stopped_soak(const std::string& started_hhmm, double seconds, bool rebooted,
                                  const std::vector<TelemetryTick>& last_minute,
                                  const std::vector<double>& add_chain_mhz = {});

// "7 min 12 s", "45 s".
std::string format_duration(double seconds);

}  // namespace specgap::analysis
