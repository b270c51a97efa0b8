// The ranking: decode tokens/s of this machine beside the catalog's systems on the same model, this
// machine highlighted and a projection drawn and named as one, with price and power beside each; then
// the audit's advice in plain sentences.
#include <fmt/format.h>

#include "report/html_sections.h"
#include "report/html_text.h"
#include "report/json_fields.h"
#include "report/render.h"
#include "report/svg_bars.h"

namespace specgap::report {
namespace {

// The system's name and what the row is; `chars` bounds the whole label by shortening the name, so
// "(this machine)" and "(projection)" are never the part a narrow chart cuts off.
std::string row_label(const nlohmann::json& row, size_t chars = std::string::npos) {
  std::string suffix;
  if (flag_at(row, "this_machine")) suffix += " (this machine)";
  if (text_at(row, "source") == "projection") suffix += " (projection)";
  const std::string name = text_at(row, "name", text_at(row, "id", "?"));
  return (chars == std::string::npos ? name : svg::fit(name, chars > suffix.size() + 8 ? chars - suffix.size() : 8)) + suffix;
}

std::string row_class(const nlohmann::json& row) {
  std::string cls = text_at(row, "source");
  if (flag_at(row, "this_machine")) cls += " this-machine";
  return cls;
}

std::string cell(const nlohmann::json& row, const char* key) {
  auto v = number_at(row, key);
  return v ? format_value(*v) : "-";
}

std::string price(const nlohmann::json& row) {
  auto v = number_at(row, "price_usd");
  return v ? fmt::format("${:.0f}", *v) : "-";
}

}  // namespace

std::string ranking_section(const nlohmann::json& findings) {
  const auto ranking = object_at(findings, "ranking");
  const auto rows = array_at(ranking, "rows");
  if (rows.empty())
    return html_section("ranking", "Ranking",
                        html_empty("No ranking: it needs a decode rate measured here and systems in the catalog with "
                                   "figures for the same model."));
  const std::string model = text_at(ranking, "model", "the model") + " " + text_at(ranking, "quant");
  std::vector<svg::Bar> bars;
  Table table{"", {"#", "system", "kind", "figure", "decode tok/s", "prefill tok/s", "published tok/s", "price",
                   "tok/s per k$", "W", "tok/s per W"}, {}, {}};
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto& row = rows[i];
    const std::string test = text_at(row, "test");
    const std::string source = text_at(row, "source", "-") + (test.empty() ? "" : " " + test);
    table.rows.push_back({std::to_string(i + 1), row_label(row), text_at(row, "kind", "-"), source,
                          cell(row, "decode_tps"), cell(row, "prefill_tps"), cell(row, "published_decode_tps"), price(row),
                          cell(row, "decode_per_kusd"), cell(row, "watts"), cell(row, "decode_per_watt")});
    if (auto decode = number_at(row, "decode_tps"))
      bars.push_back({row_label(row, svg::kBarLabelChars), *decode, std::nullopt, format_value(*decode) + " tok/s, " + source,
                      row_class(row),
                      fmt::format("{}: {} decode tokens/s ({})", row_label(row), format_value(*decode), source)});
  }
  table.notes.push_back(
      "measured: by specgap in this run, in the tests named; projection: estimated by specgap from the system's "
      "bandwidth and compute (claimed; measured for this machine) and the efficiency published llama.cpp runs on "
      "other systems of its kind reached, not measured by anyone");
  table.notes.push_back("published: a llama.cpp figure for exactly this model and quant at depth 0, where the catalog "
                        "has one (specgap catalog ID gives its source)");
  std::string body = "<p class=\"lead\">" + html_escape("Decode (token generation) rate on " + model) +
                     ", this machine in red; a dashed outline is a projection, not a measurement.</p>";
  if (!bars.empty())
    body += svg::bar_chart("chart-ranking", "Ranking by decode tokens per second",
                           {{"", "decode tokens per second", bars, svg::short_number}});
  body += html_table(table);
  return html_section("ranking", "Ranking", body);
}

std::string advice_section(const nlohmann::json& findings) {
  const auto advice = array_at(findings, "advice");
  std::string items;
  for (auto& a : advice)
    if (a.is_string()) items += "<li>" + html_escape(a.get<std::string>()) + "</li>";
  return html_section("advice", "Advice",
                      items.empty() ? html_empty("No advice for this run.") : "<ul class=\"advice\">" + items + "</ul>");
}

}  // namespace specgap::report
