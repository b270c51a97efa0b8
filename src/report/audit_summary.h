#pragma once
// The audit's verdict on one screen: for each device (the CPU, then each GPU) its claims against what
// it delivered, the bottleneck, its LLM rates and where the machine ranks; then what failed or was
// skipped, a little advice, and where every table is. A buyer reads this without scrolling; the tables
// themselves are in the HTML report and `specgap report RUN_ID`.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.h"

namespace specgap::report {

// The summary's widest line: a terminal of 100 columns shows every line unwrapped.
inline constexpr int kSummaryColumns = 100;

// What the audit knows beside the run and its findings.
struct AuditEnd {
  std::vector<std::string> skipped;  // stages the budget left out, each with why
  std::string html_path;             // the report written
  std::string tables_command;        // the command that prints every table of this run
};

// Lines of at most kSummaryColumns columns; a line too long for that wraps, so that no failure's
// reason is cut. `findings` is analysis/findings.h's object for `run`.
std::vector<std::string> audit_summary(const nlohmann::json& findings, const RunRecord& run, const AuditEnd& end);

}  // namespace specgap::report
