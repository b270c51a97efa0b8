// The memory suite: sustained bandwidth per kernel as a table, the working-set sweep as curves on a
// log axis of bytes with the cache plateaus found in them shaded, and the latency curve likewise.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/units.h"
#include "report/html_sections.h"
#include "report/html_text.h"
#include "report/render.h"
#include "report/result_method.h"
#include "report/svg_lines.h"

namespace specgap::report {
namespace {

std::string kind_of(const Result& r) { return r.params.value("kind", std::string()); }

double param_number(const Result& r, const char* key) {
  return r.params.contains(key) && r.params[key].is_number() ? r.params[key].get<double>() : std::nan("");
}

std::string bytes_text(const Result& r, const char* key) {
  const double v = param_number(r, key);
  return std::isfinite(v) && v >= 0 ? format_bytes(uint64_t(v)) : "-";
}

// Axis ticks fall on decades of bytes, so they are labelled in decimal units (1 MB, not 0.95 MiB).
std::string bytes_tick(double v) {
  if (v >= 1e9) return fmt::format("{:g} GB", v / 1e9);
  if (v >= 1e6) return fmt::format("{:g} MB", v / 1e6);
  if (v >= 1e3) return fmt::format("{:g} kB", v / 1e3);
  return fmt::format("{:g} B", v);
}

// Curves by kernel name, in the order the run measured them.
using Curves = std::vector<std::pair<std::string, std::vector<const Result*>>>;
Curves curves_of(const std::vector<const Result*>& rs, bool latency) {
  Curves out;
  for (auto* r : rs) {
    if (kind_of(*r) != "sweep_point" || (r->name == "latency") != latency) continue;
    auto it = std::find_if(out.begin(), out.end(), [&](auto& c) { return c.first == r->name; });
    if (it == out.end()) it = out.insert(out.end(), {r->name, {}});
    it->second.push_back(r);
  }
  return out;
}

// The plateaus found in one curve: triad's where it has them (the kernel STREAM reports), else the first.
std::vector<svg::Band> plateau_bands(const std::vector<const Result*>& rs, bool latency) {
  std::string kernel;
  for (auto* r : rs)
    if (kind_of(*r) == "plateau" && (r->name == "latency") == latency && (kernel.empty() || r->name == "triad"))
      kernel = r->name;
  std::vector<svg::Band> out;
  for (auto* r : rs)
    if (kind_of(*r) == "plateau" && r->name == kernel)
      out.push_back({param_number(*r, "from_bytes"), param_number(*r, "to_bytes"),
                     r->params.value("level", std::string("?"))});
  return out;
}

std::string curve_chart(const std::string& id, const std::string& label, const Curves& curves,
                        std::vector<svg::Band> bands, bool latency) {
  svg::LinePanel panel{"", latency ? "ns per load" : "GB/s", {}, latency, std::move(bands), {}, {}};
  for (size_t i = 0; i < curves.size(); ++i) {
    svg::Series s{curves[i].first, fmt::format("s{}", i % 6), {}, true, latency ? "ns" : "GB/s"};
    for (auto* r : curves[i].second) s.points.push_back({param_number(*r, "working_set_bytes"), r->value});
    panel.series.push_back(std::move(s));
  }
  return svg::line_chart(id, label, {"working set (log scale)", true, bytes_tick}, {panel});
}

std::string curve_method(const Curves& curves) {
  std::string out;
  for (auto& [name, points] : curves) {
    const Result& first = *points.front();
    out += "<li><b>" + html_escape(name) + " curve</b>: " +
           html_escape(fmt::format("{}; {} threads; {} working sets from {} to {}; each point the median of {} reps",
                                   first.impl, first.params.value("threads", 0), points.size(),
                                   bytes_text(first, "working_set_bytes"), bytes_text(*points.back(), "working_set_bytes"),
                                   first.stats.reps)) +
           "</li>";
  }
  return out.empty() ? "" : "<details class=\"method\" open><summary>How the curves were measured</summary><ul>" + out + "</ul></details>";
}

Table sustained_table(const std::vector<const Result*>& rs) {
  Table t{"Sustained bandwidth (GB/s, 1e9 bytes, STREAM counting)",
          {"kernel", "median", "best", "min", "CV", "reps", "threads", "arrays of", "impl", "check"}, {}, {}};
  for (auto* r : rs)
    t.rows.push_back({r->name, format_value(r->value), format_value(r->stats.max), format_value(r->stats.min),
                      std::isfinite(r->stats.cv) ? fmt::format("{:.1f}%", r->stats.cv * 100) : "-",
                      std::to_string(r->stats.reps), std::to_string(r->params.value("threads", 0)),
                      bytes_text(*r, "array_bytes"), r->impl, r->check});
  return t;
}

Table plateau_table(const std::vector<const Result*>& rs) {
  Table t{"Plateaus found in the curves", {"kernel", "level", "from", "to", "value", "unit", "points"}, {}, {}};
  for (auto* r : rs)
    if (kind_of(*r) == "plateau")
      t.rows.push_back({r->name, r->params.value("level", std::string("?")), bytes_text(*r, "from_bytes"),
                        bytes_text(*r, "to_bytes"), format_value(r->value), r->unit,
                        std::to_string(r->params.value("points", 0))});
  return t;
}

}  // namespace

std::string memory_section(const RunRecord& run) {
  const auto rs = results_of(run, "memory", "cpu");
  std::vector<const Result*> sustained;
  for (auto* r : rs)
    if (kind_of(*r).empty() && r->name != "latency") sustained.push_back(r);
  const Curves bandwidth = curves_of(rs, false), latency = curves_of(rs, true);
  if (rs.empty()) return html_section("memory", "Memory", html_empty("Not measured in this run."));

  std::string body;
  body += "<h3>Sustained bandwidth</h3>";
  body += sustained.empty() ? html_empty("Not measured in this run.") : html_table(sustained_table(sustained));
  body += "<h3>Bandwidth against working-set size</h3>";
  body += bandwidth.empty() ? html_empty("Not measured in this run (specgap memory --sweep).")
                            : curve_chart("chart-memory-sweep", "Memory bandwidth against working-set size", bandwidth,
                                          plateau_bands(rs, false), false);
  body += "<h3>Load-to-use latency</h3>";
  body += latency.empty() ? html_empty("Not measured in this run (specgap memory --latency).")
                          : curve_chart("chart-memory-latency", "Load-to-use latency against working-set size",
                                        latency, plateau_bands(rs, true), true);
  if (auto plateaus = plateau_table(rs); !plateaus.rows.empty()) body += html_table(plateaus);
  body += html_method_list(sustained);
  Curves all = bandwidth;
  all.insert(all.end(), latency.begin(), latency.end());
  body += curve_method(all);
  return html_section("memory", "Memory", body);
}

}  // namespace specgap::report
