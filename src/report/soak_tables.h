#pragma once
// The soak as tables: one per series (interval, rate, and the telemetry beside it), its sparkline and
// conclusion under it; and a table of the run's telemetry: what was sampled, what this machine lacks,
// and the power each result drew.
#include <vector>

#include "core/result.h"
#include "report/table.h"

namespace specgap::report {

Table soak_table(const Result& r);
// Characters of a sparkline: one per value, from the lowest of 8 bars to the highest, scaled from
// zero so that a 10% fall looks like one.
std::string sparkline(const std::vector<double>& values);
// Empty title when sampling was off and no result carries a power figure.
Table telemetry_table(const RunRecord& run);

}  // namespace specgap::report
