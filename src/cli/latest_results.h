#pragma once
// This machine's newest measurements, gathered from the store: for each suite, the results of the
// newest complete (or interrupted) run that has any (for memory, any DRAM bandwidth: a run with a small
// --size measured a cache), so `predict` and `compare` stand on the last memory, compute and LLM
// figures even when they came from separate commands.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/this_machine.h"
#include "cli/app.h"
#include "core/result.h"
#include "store/store.h"

namespace specgap::cli {

struct LatestResults {
  std::vector<Result> results;
  nlohmann::json machine = nlohmann::json::object();  // the newest of those runs' machine record
  std::vector<std::string> run_ids;                   // the runs they came from
};

LatestResults latest_results(Store& store, const std::vector<std::string>& suites = {"memory", "compute", "llm"});

// This machine's figures from the store --db names; a UsageError saying what to run, or `instead`,
// when no memory bandwidth was measured there.
struct MeasuredHere {
  analysis::MachineFigures figures;
  std::vector<std::string> run_ids;
};
MeasuredHere measured_here(const GlobalOptions& g, const std::string& instead);

}  // namespace specgap::cli
