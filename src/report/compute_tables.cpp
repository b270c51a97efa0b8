#include "report/compute_tables.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "report/render.h"

namespace specgap::report {
namespace {

std::string pct(double cv) { return std::isfinite(cv) ? fmt::format("{:.1f}%", cv * 100) : "-"; }

double number(const nlohmann::json& j, const char* key) {
  return j.is_object() && j.contains(key) && j[key].is_number() ? j[key].get<double>() : std::nan("");
}

std::string fixed3(double x) { return std::isfinite(x) ? fmt::format("{:.3f}", x) : "-"; }
std::string fraction(double f) { return fixed3(f); }

}  // namespace

Scaled readable_compute(double value, const std::string& unit) {
  if (unit.size() > 1 && unit[0] == 'T' && std::isfinite(value) && std::fabs(value) < 1)
    return {value * 1000, "G" + unit.substr(1)};
  return {value, unit};
}

Table peak_table(const std::vector<const Result*>& results, const std::string& on) {
  Table t{on.empty() ? "Peak compute (register-resident kernels, one pinned thread per core)"
                     : "Peak compute on " + on + " (register-resident kernels)",
          {"dtype", "median", "best", "min", "unit", "cv", "reps", "impl", "instruction", "clock GHz", "peak at clock",
           "of peak", "check"},
          {},
          {}};
  for (auto* r : results) {
    const std::string dtype = r->dtype.value_or("?");
    if (r->check.rfind("unsupported", 0) == 0) {
      t.rows.push_back({dtype, "-", "-", "-", r->unit, "-", "0", "-", "-", "-", "-", "-", "unsupported"});
      t.notes.push_back(fmt::format("{}: {}", dtype, r->check));
      continue;
    }
    // Every figure of a row in the same readable unit as its median.
    const Scaled median = readable_compute(r->value, r->unit);
    const double scale = std::isfinite(r->value) && r->value != 0 ? median.value / r->value : 1;
    const auto& peak = r->params.value("theoretical_peak", nlohmann::json());
    t.rows.push_back({dtype, format_value(median.value), format_value(r->stats.max * scale),
                      format_value(r->stats.min * scale), median.unit, pct(r->stats.cv), std::to_string(r->stats.reps),
                      r->impl, r->params.value("instruction", ""),
                      fixed3(number(r->params, "clock_ghz")),
                      format_value(number(peak, "value") * scale), fraction(number(peak, "fraction")), r->check});
    if (peak.is_object())
      t.notes.push_back(fmt::format("{}: peak = {}; {} ({}; {})", dtype, peak.value("formula", ""),
                                    peak.value("basis", ""), peak.value("source", ""), peak.value("confidence", "")));
    else if (!check_failed(r->check))
      t.notes.push_back(fmt::format("{}: no theoretical peak: {}", dtype,
                                    r->params.value("theoretical_peak_missing",
                                                    std::string("this core has no row in the peak-rate table"))));
    for (auto& v : r->variants) {
      if (v.value("impl", "") == r->impl) continue;
      const double m = number(v.value("stats", nlohmann::json()), "median");
      t.notes.push_back(fmt::format("{}: also {} ({}): {} {}, {} of its own path's peak{}", dtype, v.value("impl", "?"),
                                    v.value("instruction", "?"), format_value(m * scale), median.unit,
                                    fraction(number(v, "fraction_of_path_peak")),
                                    v.value("check", "") == kCheckPassed ? "" : "; check " + v.value("check", "")));
    }
  }
  if (!results.empty())
    t.notes.push_back(fmt::format("counting: an FMA is 2 ops, each multiply of a dot product 2; clock: {}",
                                  results.front()->params.value("clock_method", "not measured")));
  return t;
}

Table gemm_table(const std::vector<const Result*>& results, const std::string& on) {
  Table t{on.empty() ? "GEMM (best library on the best shape; 2*m*n*k per call)"
                     : "GEMM on " + on + " (best kernel on the best shape; 2*m*n*k per call)",
          {"dtype", "median", "best", "min", "unit", "cv", "reps", "impl", "kernel", "m x n x k", "check"},
          {},
          {}};
  for (auto* r : results) {
    const std::string dtype = r->dtype.value_or("?");
    if (r->check.rfind("unsupported", 0) == 0) {
      t.rows.push_back({dtype, "-", "-", "-", r->unit, "-", "0", "-", "-", "-", "unsupported"});
      t.notes.push_back(fmt::format("{}: {}", dtype, r->check));
      continue;
    }
    const Scaled median = readable_compute(r->value, r->unit);
    const double scale = std::isfinite(r->value) && r->value != 0 ? median.value / r->value : 1;
    t.rows.push_back({dtype, format_value(median.value), format_value(r->stats.max * scale),
                      format_value(r->stats.min * scale), median.unit, pct(r->stats.cv), std::to_string(r->stats.reps),
                      r->impl, r->params.value("kernel", "-"),
                      fmt::format("{}x{}x{}", r->params.value("m", 0), r->params.value("n", 0), r->params.value("k", 0)),
                      r->check});
  }
  // Name every library's build and environment once: a capped library is visible as such.
  std::map<std::string, std::string> seen;
  for (auto* r : results)
    for (auto& v : r->variants)
      if (v.contains("library_version"))
        seen.emplace(v.value("impl", "?"), fmt::format("{} {} ({})", v.value("impl", "?"),
                                                       v.value("library_version", ""), v.value("environment", "")));
  for (auto& [impl, line] : seen) t.notes.push_back("library: " + line);
  return t;
}

Table gemm_curve_table(const std::vector<const Result*>& results, const std::string& on) {
  std::vector<std::string> libraries;
  for (auto* r : results)
    for (auto& v : r->variants)
      if (std::find(libraries.begin(), libraries.end(), v.value("impl", "?")) == libraries.end())
        libraries.push_back(v.value("impl", "?"));
  Table t{on.empty() ? "GEMM sweep (median per library and shape)" : "GEMM sweep on " + on + " (median per kernel and shape)",
          {"dtype", "m x n x k", "unit"}, {}, {}};
  for (auto& l : libraries) t.header.push_back(l);
  for (auto* r : results) {
    // Rows in the order the shapes were measured; a library missing on a shape shows "-".
    std::vector<std::string> order;
    std::map<std::string, std::map<std::string, std::string>> cells;
    const Scaled unit = readable_compute(r->value, r->unit);
    const double scale = std::isfinite(r->value) && r->value != 0 ? unit.value / r->value : 1;
    for (auto& v : r->variants) {
      const std::string shape = fmt::format("{}x{}x{}", v.value("m", 0), v.value("n", 0), v.value("k", 0));
      if (!cells.count(shape)) order.push_back(shape);
      const double m = number(v.value("stats", nlohmann::json()), "median");
      cells[shape][v.value("impl", "?")] = v.value("check", "") == kCheckPassed ? format_value(m * scale) : "failed";
    }
    for (auto& shape : order) {
      std::vector<std::string> row = {r->dtype.value_or("?"), shape, unit.unit};
      for (auto& l : libraries) row.push_back(cells[shape].count(l) ? cells[shape][l] : "-");
      t.rows.push_back(row);
    }
  }
  return t;
}

}  // namespace specgap::report
