#pragma once
// The run and the audit's findings as one self-contained HTML page: inline CSS, charts drawn as SVG
// here, no script and nothing fetched when it is opened (its Content-Security-Policy forbids it), so
// the file can be mailed, archived and printed as it is. Every string from the run, a model file or
// the catalog is escaped.
#include <string>

#include <nlohmann/json.hpp>

#include "core/result.h"

namespace specgap::report {

// `findings` is analysis::audit_findings' object (analysis/findings.h); any part of it may be empty,
// and each section then says what it lacks instead of drawing. Charts are <svg> elements with stable
// ids (chart-claims, chart-roofline, chart-memory-sweep, chart-memory-latency, chart-llm, chart-soak,
// chart-telemetry, chart-ranking) whose data marks have the class "mark".
std::string render_html(const RunRecord& run, const nlohmann::json& findings);

}  // namespace specgap::report
