#pragma once
// Renders a run record in the format the user asked for. Reporters never measure.
#include <string>
#include <vector>

#include "core/result.h"
#include "report/table.h"

namespace specgap::report {

enum class Format { text, json, csv, markdown };

// Whether a run's text shows its claim-vs-delivered table, or leaves it to the findings drawn after
// it (the audit, `report`), whose one table holds the theoretical peaks and the catalog's claims.
enum class Verdicts { shown, in_findings };

// The run as tables: machine, then one table per kind of result.
std::vector<Table> run_tables(const RunRecord& run, Verdicts verdicts = Verdicts::shown);
// The machine record as a two-column table.
Table machine_table(const nlohmann::json& machine);

std::string render_run(const RunRecord& run, Format format, Verdicts verdicts = Verdicts::shown);
// Every result as one CSV row (header first), RFC 4180 quoting.
std::string render_csv(const RunRecord& run);
// One CSV line (with its newline), cells quoted as RFC 4180 asks.
std::string csv_row(const std::vector<std::string>& cells);
// A table as CSV: its header, then its rows.
std::string draw_csv(const Table& t);
std::string draw(const Table& t, Format format);

// Numbers as a table shows them: 3 significant digits at least, no exponent for usual ranges.
std::string format_value(double v);

}  // namespace specgap::report
