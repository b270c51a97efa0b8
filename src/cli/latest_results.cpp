#include "cli/latest_results.h"

#include <algorithm>
#include <set>

#include "cli/session.h"
#include "core/error.h"

namespace specgap::cli {

LatestResults latest_results(Store& store, const std::vector<std::string>& suites) {
  LatestResults out;
  std::set<std::string> wanted(suites.begin(), suites.end());
  for (const auto& summary : store.list_runs(200)) {  // newest first
    if (wanted.empty()) break;
    if (summary.results == 0 || (summary.status != "complete" && summary.status != "interrupted")) continue;
    const auto run = store.load_run(summary.run_id);
    if (!run) continue;
    // A memory run whose arrays all fit in a cache measured no DRAM bandwidth: an older one may have.
    const bool dram = std::any_of(run->results.begin(), run->results.end(),
                                  [&](const Result& r) { return analysis::dram_sized(r, run->machine); });
    std::set<std::string> taken;
    for (const auto& r : run->results)
      if (wanted.count(r.suite) && (r.suite != "memory" || dram)) {
        out.results.push_back(r);
        taken.insert(r.suite);
      }
    if (taken.empty()) continue;
    for (const auto& s : taken) wanted.erase(s);
    if (out.run_ids.empty()) out.machine = run->machine;
    out.run_ids.push_back(run->run_id);
  }
  return out;
}

MeasuredHere measured_here(const GlobalOptions& g, const std::string& instead) {
  auto store = open_store(g, Store::Use::read);
  const auto latest = latest_results(*store);
  MeasuredHere here{analysis::machine_figures(latest.results, latest.machine), latest.run_ids};
  if (!here.figures.bandwidth_gbs)
    throw UsageError("no DRAM bandwidth measured on this machine in " + store->path() +
                     " (arrays of at least 4x the last-level cache, as specgap memory sizes them by default): run "
                     "specgap memory (or specgap audit) first, or " + instead);
  return here;
}

}  // namespace specgap::cli
