#pragma once
// The result record scripts rely on (DESIGN.md "The result record"). Field names are stable.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/stats.h"
#include "core/telemetry.h"

namespace specgap {

// What a kernel check concluded. A failed check carries an error, never a number: "failed: why".
// A measurement this machine cannot make (no instruction for the dtype) is "unsupported: why", also
// without a number, and is not a failure.
inline constexpr const char* kCheckPassed = "passed";
inline bool check_failed(const std::string& check) { return check.rfind("failed", 0) == 0; }

// A stretch of a result's timed work on the monotonic clock (core/clock.h: monotonic_ns).
struct TimedSpan {
  int64_t begin_ns = 0, end_ns = 0;
};

struct Result {
  std::string suite;   // memory, compute, transfer, llm, soak
  std::string device;  // cpu, cuda:0, ...
  std::string name;    // copy, scale, add, triad, read, write, latency, ...
  std::optional<std::string> dtype;
  double value = 0;    // the headline figure: the median of the best variant
  std::string unit;    // GB/s, ns, TFLOP/s, ...
  std::string impl;    // which variant produced the value, e.g. avx512-nt
  Stats stats;
  nlohmann::json params = nlohmann::json::object();    // bytes, threads, working set, level, ...
  std::string check = kCheckPassed;                     // "passed" or "failed: why"
  nlohmann::json variants = nlohmann::json::array();   // every variant measured, best or not
  // Where the figure was measured: its timed repetitions, or runs of them with only this result's own
  // work between. The session takes the result's power over exactly these (cli/session.cpp), so no
  // result's power covers another's work; not stored (the power they gave is).
  std::vector<TimedSpan> timed;
};

// One raw repetition, written to the store as it lands.
struct Sample {
  std::string suite;
  std::string name;
  std::string impl;
  double value = 0;
  std::string unit;
  nlohmann::json params = nlohmann::json::object();
};

nlohmann::json stats_to_json(const Stats& s);
Stats stats_from_json(const nlohmann::json& j);

nlohmann::json to_json(const Result& r);
Result result_from_json(const nlohmann::json& j);  // throws specgap::Error on a malformed record

// One whole run as `--json` prints it (schema specgap.run/1).
struct RunRecord {
  std::string run_id;
  std::string started_at;  // ISO-8601 UTC
  std::string finished_at; // empty while running
  std::string status;      // running, complete, interrupted, failed
  std::string command;     // the command line that made it
  std::string specgap_version;
  std::string error;       // one line when status is failed
  nlohmann::json machine = nlohmann::json::object();
  std::vector<Result> results;
  nlohmann::json verdicts = nlohmann::json::array();
  int64_t samples = 0;     // raw repetitions stored for this run
  TelemetryInfo telemetry;                 // what the samplers could see
  std::vector<TelemetryTick> timeline;     // every telemetry tick, oldest first
};

inline constexpr const char* kRunSchema = "specgap.run/1";

nlohmann::json to_json(const RunRecord& run);

}  // namespace specgap
