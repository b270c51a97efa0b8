// Claim vs delivered: one bar per verdict, the delivered figure drawn inside the outline of the claim
// it is held against, both as a fraction of the claim so that TFLOP/s, TOP/s and GB/s share a scale.
#include <fmt/format.h>

#include "report/html_sections.h"
#include "report/html_text.h"
#include "report/json_fields.h"
#include "report/render.h"
#include "report/svg_bars.h"

namespace specgap::report {
namespace {

std::string verdict_label(const nlohmann::json& v) {
  std::string label = text_at(v, "what", "?");
  if (auto dtype = text_at(v, "dtype"); !dtype.empty()) label += " " + dtype;
  if (auto device = text_at(v, "device"); !device.empty()) label += " on " + device;
  if (text_at(v, "claim_kind") == "theoretical") label += " (theoretical)";
  return label;
}

// How far below its claim a figure is, for its colour: the page reads at a glance.
std::string ratio_class(double ratio) {
  if (ratio < 0.5) return "far";
  if (ratio < 0.8) return "short";
  return "near";
}

// Four significant digits and no padding: "221 of 256 GB/s" reads at a glance beside a bar.
std::string number_text(const nlohmann::json& v, const char* key) {
  auto n = number_at(v, key);
  return n ? fmt::format("{:.4g}", *n) : "-";
}

}  // namespace

std::string claims_section(const nlohmann::json& findings) {
  const auto verdicts = array_at(findings, "verdicts");
  std::vector<svg::Bar> bars;
  Table table{"", {"what", "claimed", "delivered", "unit", "delivered / claimed", "claim", "note", "claim source"}, {}, {}};
  for (auto& v : verdicts) {
    const auto ratio = number_at(v, "ratio");
    const std::string unit = text_at(v, "unit");
    table.rows.push_back({verdict_label(v), number_text(v, "claimed"), number_text(v, "delivered"), unit,
                          ratio ? fmt::format("{:.2f}", *ratio) : "-", text_at(v, "claim_kind", "-"),
                          text_at(v, "note"), text_at(v, "claim_source")});
    if (!ratio) continue;
    bars.push_back({verdict_label(v), *ratio, 1.0,
                    fmt::format("{:.0f}% ({} of {} {})", *ratio * 100, number_text(v, "delivered"),
                                number_text(v, "claimed"), unit),
                    ratio_class(*ratio),
                    fmt::format("{}: delivered {} of the claimed {} {} ({:.0f}%). {}", verdict_label(v),
                                number_text(v, "delivered"), number_text(v, "claimed"), unit, *ratio * 100,
                                text_at(v, "note"))});
  }
  if (verdicts.empty())
    return html_section("claims", "Claim vs delivered",
                        html_empty("No claim was held against a measured figure in this run: nothing comparable was "
                                   "measured, or this machine is not in the catalog."));
  std::string body =
      "<p class=\"lead\">Each bar is what this machine delivered as a share of what is claimed for it; the outline is "
      "the claim (100%). A spec claim is the vendor's (a sparse claim is halved to its dense equivalent); a "
      "theoretical one is cores x measured clock x operations per cycle.</p>";
  if (!bars.empty())
    body += svg::bar_chart("chart-claims", "Claim vs delivered, as a share of the claim",
                           {{"", "delivered as a share of the claim", bars,
                             [](double t) { return fmt::format("{:.0f}%", t * 100); }}});
  body += html_table(table);
  return html_section("claims", "Claim vs delivered", body);
}

}  // namespace specgap::report
