#pragma once
// A ranking (analysis/ranking.h) as a table.
#include "analysis/ranking.h"
#include "report/table.h"

namespace specgap::report {

Table ranking_table(const analysis::Ranking& r);

}  // namespace specgap::report
