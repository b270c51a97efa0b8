#pragma once
// The audit's findings (analysis/findings.h) drawn as tables for the text, Markdown and CSV forms of
// `specgap report`, and those forms themselves: what `show` prints, then the findings.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "report/render.h"
#include "report/table.h"

namespace specgap::report {

// Recognised system, claim vs delivered, roofline, ranking and advice; a part with nothing in it is a
// table with no rows and a note saying why.
std::vector<Table> findings_tables(const nlohmann::json& findings);

// The claim-vs-delivered rows of the findings: every device's, or only `device`'s.
Table verdicts_table(const nlohmann::json& findings, const std::string& device = "");
// A roofline as findings carry it ("roofline", or an entry's "roofline" of "device_rooflines").
Table roofline_table(const nlohmann::json& roofline, const std::string& device);

// A ranking as findings carry it (analysis/ranking.h, to_json): what `specgap compare` prints too.
Table ranking_table(const nlohmann::json& ranking);
// The hardware beside it (analysis/ranking.h, hardware_ranking): bandwidth and dense compute per dtype.
Table hardware_table(const nlohmann::json& rows);

// text and md: the run as `show` draws it, then the findings tables. json: the run as `show --json`
// prints it with the findings under "findings". csv: show's CSV, then each findings table as CSV
// after an empty line.
std::string render_with_findings(const RunRecord& run, const nlohmann::json& findings, Format format);

}  // namespace specgap::report
