#include "cli/stopped_runs.h"

#include <fmt/format.h>

#include <ctime>

#include "analysis/soak.h"
#include "suites/soak/soak.h"

namespace specgap::cli {
namespace {

// Seconds since the epoch of "2026-12-01T13:51:49Z"; nullopt when it is not that form.
std::optional<double> utc_seconds(const std::string& iso) {
  std::tm tm{};
  const char* end = strptime(iso.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  if (!end) return std::nullopt;
  return double(timegm(&tm));
}

bool is_soak(const std::string& command) {
  return command.find(" soak") != std::string::npos;
}

}  // namespace

std::string describe_interrupted(Store& store, const InterruptedRun& r) {
  const std::string general = fmt::format("run {} was interrupted at {}, {} samples kept (specgap show {})", r.run_id,
                                          r.last_activity, r.samples, r.run_id);
  const std::string why = r.rebooted ? " (the machine rebooted during it)" : "";
  if (!is_soak(r.command)) return general + why;
  const auto timeline = store.load_telemetry(r.run_id);
  double seconds = 0;
  if (!timeline.empty()) seconds = timeline.back().t;
  else if (auto a = utc_seconds(r.started_at), b = utc_seconds(r.last_activity); a && b) seconds = *b - *a;
  std::vector<TelemetryTick> last_minute;
  for (auto& t : timeline)
    if (t.t >= seconds - 60) last_minute.push_back(t);
  // The clock the soak measured itself after each interval of its last minute, for machines whose
  // telemetry has none.
  std::vector<double> add_chain;
  for (auto& s : store.load_samples(r.run_id)) {
    const double end = s.params.value("soak_t0", 0.0) + s.params.value("t_end", 0.0);  // on the run's clock
    if (s.suite == "soak" && s.params.contains("add_chain_clock_mhz") && end >= seconds - 60)
      add_chain.push_back(s.params["add_chain_clock_mhz"].get<double>());
  }
  const std::string hhmm = r.started_at.size() >= 16 ? r.started_at.substr(11, 5) + " UTC" : r.started_at;
  return fmt::format("{} ({}, {} samples kept: specgap show {})",
                     analysis::describe_stopped_soak(hhmm, seconds, r.rebooted, last_minute, add_chain), r.run_id,
                     r.samples, r.run_id);
}

void add_stopped_soak(RunRecord& run, Store& store) {
  if (run.status == "complete" || run.status == "running") return;
  for (auto& r : run.results)
    if (r.suite == "soak") return;
  for (auto& r : suites::soak_results_from_samples(store.load_samples(run.run_id), run.timeline))
    run.results.push_back(std::move(r));
}

}  // namespace specgap::cli
