#include "suites/soak/soak.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

#include "analysis/soak.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/interrupt.h"
#include "core/stats.h"

namespace specgap::suites {
namespace {

// The mean of every channel over the ticks of one interval.
nlohmann::json channel_means(const std::vector<TelemetryTick>& ticks) {
  std::map<std::string, std::pair<double, int>> sums;
  for (auto& t : ticks)
    for (auto& [channel, v] : t.readings) sums[channel].first += v, ++sums[channel].second;
  nlohmann::json out = nlohmann::json::object();
  for (auto& [channel, s] : sums) out[channel] = s.first / s.second;
  return out;
}

struct Series {
  std::unique_ptr<SoakWorkload> work;
  nlohmann::json intervals = nlohmann::json::array();  // as stored in each interval's sample
  std::string check;
  std::vector<TimedSpan> timed;  // its intervals' work: its power window (a mixed soak alternates series)
};

std::vector<std::unique_ptr<SoakWorkload>> make_workloads(backends::Device& device, const SoakConfig& c) {
  std::vector<std::unique_ptr<SoakWorkload>> w;
  if (c.workload == "llm" && device.info().backend != "cpu")
    throw UsageError("soak --workload llm runs on the CPU only (the LLM engine has no GPU path yet)");
  if (c.workload == "gemm" || c.workload == "mixed") w.push_back(gemm_workload(device, c.work));
  if (c.workload == "memory" || c.workload == "mixed") w.push_back(memory_workload(device, c.work));
  if (c.workload == "llm") w.push_back(llm_workload(c.work));
  if (w.empty()) throw UsageError("--workload " + c.workload + ": unknown (gemm, memory, llm, mixed)");
  return w;
}

}  // namespace

Result soak_result(const SoakSeriesInfo& info, const nlohmann::json& intervals,
                   const std::vector<TelemetryTick>& run_timeline) {
  Result r;
  r.suite = "soak";
  r.device = info.device;
  r.name = info.name;
  r.unit = info.unit;
  r.impl = info.impl;
  r.check = info.check;
  // Intervals are stored relative to the soak's start (soak_t0 on the run's telemetry clock); the
  // conclusion reads the timeline the same way.
  const double t0 = intervals.empty() ? 0.0 : intervals.front().value("soak_t0", 0.0);
  std::vector<analysis::SoakInterval> v;
  std::vector<double> rates;
  for (auto& in : intervals) {
    const double busy = in.value("busy_seconds", 0.0);
    analysis::SoakInterval s{in.value("t_start", 0.0), in.value("t_end", 0.0),
                             busy > 0 ? in.value("work", 0.0) / busy : 0.0, std::nullopt};
    if (in.contains("add_chain_clock_mhz")) s.clock_mhz = in["add_chain_clock_mhz"].get<double>();
    v.push_back(s);
    rates.push_back(s.rate);
  }
  std::vector<TelemetryTick> ticks;
  for (auto t : run_timeline)
    if (t.t >= t0) t.t -= t0, ticks.push_back(std::move(t));
  const auto verdict = analysis::conclude_soak(v, ticks, r.unit);
  r.stats = summarize(rates);
  r.value = r.check == kCheckPassed && !v.empty() ? verdict.sustained : std::nan("");
  r.params = {{"first_minute", verdict.first_minute},
              {"sustained_ratio", verdict.ratio},
              {"cv", verdict.cv},
              {"drop_interval", verdict.drop ? nlohmann::json(*verdict.drop + 1) : nlohmann::json(nullptr)},
              {"why", verdict.why},
              {"throttling", verdict.throttling},
              {"conclusion", verdict.summary},
              {"intervals", intervals},
              {"sustained_is", "median rate of the last minute (the last half of a shorter soak)"}};
  return r;
}

std::vector<Result> soak_results_from_samples(const std::vector<Sample>& samples,
                                              const std::vector<TelemetryTick>& run_timeline) {
  std::vector<std::string> order;
  std::map<std::string, std::pair<Sample, nlohmann::json>> by_name;  // the first sample, every interval
  for (auto& s : samples) {
    if (s.suite != "soak") continue;
    auto [it, fresh] = by_name.try_emplace(s.name, s, nlohmann::json::array());
    if (fresh) order.push_back(s.name);
    it->second.second.push_back(s.params);
  }
  std::vector<Result> out;
  for (auto& name : order) {
    auto& [first, intervals] = by_name[name];
    Result r = soak_result({first.name, first.unit, first.impl,
                            fmt::format("stopped: the run ended after {} intervals", intervals.size()),
                            first.params.value("device", "cpu")},
                           intervals, run_timeline);
    r.value = std::nan("");  // a soak that did not finish has no sustained figure, only its intervals
    for (const char* key : {"workload", "seconds", "interval_seconds", "threads"})
      if (first.params.contains(key)) r.params[key] = first.params[key];
    out.push_back(std::move(r));
  }
  return out;
}

const std::vector<std::string>& soak_workload_names() {
  static const std::vector<std::string> names = {"gemm", "memory", "llm", "mixed"};
  return names;
}

std::vector<Result> measure_soak(backends::Device& device, const SoakConfig& c, RunSink& sink) {
  if (c.seconds <= 0 || c.interval_seconds <= 0) throw UsageError("soak: --minutes and --interval must be positive");
  const std::string& id = device.info().id;
  const bool host = device.info().backend == "cpu";
  sink.progress(fmt::format("soak {}: preparing {}", id, c.workload));
  std::vector<Series> series;
  for (auto& w : make_workloads(device, c)) series.push_back({std::move(w), nlohmann::json::array(), "", {}});
  // Checked before (no figure from a wrong kernel) and after (a machine that goes wrong when hot).
  for (auto& s : series) {
    const std::string failure = s.work->check();
    s.check = failure.empty() ? kCheckPassed : "failed before the soak: " + failure;
  }
  const bool all_passed = std::all_of(series.begin(), series.end(), [](auto& s) { return s.check == kCheckPassed; });

  // One untimed second of each, so the first interval measures the workload, not its start-up
  // (page faults, a library's pool waking up).
  if (all_passed)
    for (auto& s : series) {
      double elapsed = 0;
      s.work->run_for(1.0, elapsed);
    }
  const TelemetryFeed* feed = sink.telemetry();
  const auto start = std::chrono::steady_clock::now();
  auto now_s = [&] {
    return feed ? feed->now() : std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  const double t_begin = now_s();
  const double share = c.interval_seconds / double(series.size());
  for (int i = 0; all_passed && now_s() - t_begin < c.seconds - 1e-3; ++i) {
    for (auto& s : series) {
      const double t0 = now_s();
      double elapsed = 0;
      const int64_t begin = monotonic_ns();
      const double work = s.work->run_for(share, elapsed);
      s.timed.push_back({begin, monotonic_ns()});
      const double t1 = now_s();
      const double rate = elapsed > 0 ? work / elapsed : 0;
      nlohmann::json params = {{"interval", i + 1}, {"t_start", t0 - t_begin}, {"t_end", t1 - t_begin},
                               {"soak_t0", t_begin}, {"work", work}, {"busy_seconds", elapsed},
                               {"workload", c.workload}, {"interval_seconds", c.interval_seconds},
                               {"seconds", c.seconds}, {"device", id}};
      if (host) params["threads"] = c.work.cpus.size();
      // The clock each core delivers right after an interval: on machines without cpufreq the only
      // clock there is. Labelled as such wherever it is shown.
      if (auto mhz = device.measured_clock_mhz(c.work.cpus)) params["add_chain_clock_mhz"] = *mhz;
      if (feed) params["telemetry"] = channel_means(feed->between(t0, t1));
      sink.sample({"soak", s.work->name(), s.work->impl(), rate, s.work->unit(), params});
      s.intervals.push_back(params);
      sink.progress(fmt::format("soak {}: {} interval {} at {:.0f} s: {:.4g} {}", id, s.work->name(), i + 1, t1 - t_begin,
                                rate, s.work->unit()));
    }
  }
  if (all_passed)
    for (auto& s : series)
      if (const std::string failure = s.work->check(); !failure.empty()) s.check = "failed after the soak: " + failure;

  const auto timeline = feed ? feed->between(t_begin, now_s()) : std::vector<TelemetryTick>{};
  std::vector<Result> results;
  for (auto& s : series) {
    Result r = soak_result({s.work->name(), s.work->unit(), s.work->impl(), s.check, id}, s.intervals, timeline);
    r.params["workload"] = c.workload;
    r.params["seconds"] = c.seconds;
    r.params["interval_seconds"] = c.interval_seconds;
    if (host) r.params["threads"] = c.work.cpus.size();
    r.timed = s.timed;
    sink.result(r);
    results.push_back(std::move(r));
  }
  return results;
}

}  // namespace specgap::suites
