#include "report/render.h"

#include <fmt/format.h>

#include <cmath>

#include "analysis/claims.h"

namespace specgap::report {
namespace {
std::string csv_cell(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

}  // namespace

std::string csv_row(const std::vector<std::string>& cells) {
  std::string line;
  for (size_t i = 0; i < cells.size(); ++i) line += (i ? "," : "") + csv_cell(cells[i]);
  return line + "\n";
}

std::string draw_csv(const Table& t) {
  std::string out = csv_row(t.header);
  for (auto& row : t.rows) out += csv_row(row);
  return out;
}

namespace {
std::string csv_number(double v) { return std::isfinite(v) ? fmt::format("{}", v) : ""; }

std::string param_text(const Result& r, const char* key) {
  if (!r.params.contains(key) || r.params[key].is_null()) return "";
  return r.params[key].is_string() ? r.params[key].get<std::string>() : r.params[key].dump();
}

std::string header(const RunRecord& run) {
  return fmt::format("specgap {}  run {}  started {}  status {}\n", run.specgap_version, run.run_id,
                     run.started_at, run.status);
}
}  // namespace

std::string draw(const Table& t, Format format) {
  if (format == Format::csv) return draw_csv(t);
  return format == Format::markdown ? draw_markdown(t) : draw_text(t);
}

std::string render_csv(const RunRecord& run) {
  std::string out = csv_row({"run_id", "suite", "device", "name", "dtype", "kind", "value", "unit", "impl", "median",
                              "min", "max", "cv", "reps", "threads", "working_set_bytes", "array_bytes", "level",
                              "check"});
  for (auto& r : run.results) {
    const std::vector<std::string> cells = {
        run.run_id, r.suite, r.device, r.name, r.dtype.value_or(""), param_text(r, "kind"),
        csv_number(r.value), r.unit, r.impl, csv_number(r.stats.median), csv_number(r.stats.min),
        csv_number(r.stats.max), csv_number(r.stats.cv), std::to_string(r.stats.reps), param_text(r, "threads"),
        param_text(r, "working_set_bytes"), param_text(r, "array_bytes"), param_text(r, "level"), r.check};
    out += csv_row(cells);
  }
  return out;
}

// The run's verdicts plus those its results support, derived when the run is shown (so a stored
// run gets the same ones as a live one, and a better analysis applies to old runs too).
RunRecord with_verdicts(const RunRecord& run) {
  RunRecord out = run;
  if (!out.verdicts.is_array()) out.verdicts = nlohmann::json::array();
  for (const auto& v : analysis::theoretical_peak_verdicts(run.results)) out.verdicts.push_back(analysis::to_json(v));
  return out;
}

std::string render_run(const RunRecord& stored, Format format, Verdicts verdicts) {
  const RunRecord run = with_verdicts(stored);
  if (format == Format::json) return to_json(run).dump(2) + "\n";
  if (format == Format::csv) return render_csv(run);
  std::string out = format == Format::markdown ? "## " + header(run) + "\n" : header(run) + "\n";
  for (auto& t : run_tables(run, verdicts)) out += draw(t, format) + "\n";
  if (!run.error.empty()) out += "error: " + run.error + "\n";
  return out;
}

}  // namespace specgap::report
