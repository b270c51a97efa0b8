#pragma once
// The soak: a sustained workload whose delivered rate is recorded per interval beside the telemetry,
// then concluded (analysis/soak.h): sustained / first-minute ratio, where performance fell and why,
// the spread. Each interval is a sample as it lands, so a machine that dies mid-soak leaves its
// record up to the last interval.
#include <string>
#include <vector>

#include "core/result.h"
#include "core/sink.h"
#include "suites/soak/workload.h"

namespace specgap::suites {

struct SoakConfig {
  std::string workload = "gemm";  // gemm, memory, llm, mixed (gemm and memory in turn)
  double seconds = 120;
  double interval_seconds = 10;
  SoakWorkloadConfig work;
};

// The names --workload takes.
const std::vector<std::string>& soak_workload_names();

// One result per series (gemm, triad, decode): value = the sustained rate, the conclusion and every
// interval in params.
// `device` runs the gemm and memory workloads; the llm workload runs on the CPU only.
std::vector<Result> measure_soak(backends::Device& device, const SoakConfig& config, RunSink& sink);

struct SoakSeriesInfo {
  std::string name, unit, impl, check;
  std::string device = "cpu";  // the id of the device the series ran on
};
// A series' result from its intervals (each as its sample's params) and the run's whole timeline.
Result soak_result(const SoakSeriesInfo& info, const nlohmann::json& intervals,
                   const std::vector<TelemetryTick>& run_timeline);
// The soak series of a run that stopped before its results were written (killed, rebooted, Ctrl-C),
// rebuilt from the interval samples it stored: no sustained value, but every interval and what they
// show, with a check that says the run stopped.
std::vector<Result> soak_results_from_samples(const std::vector<Sample>& samples,
                                              const std::vector<TelemetryTick>& run_timeline);

}  // namespace specgap::suites
