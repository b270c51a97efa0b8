#include "report/findings_tables.h"

#include <fmt/format.h>

#include "report/json_fields.h"

namespace specgap::report {
namespace {

std::string number_cell(const nlohmann::json& j, const char* key) {
  auto v = number_at(j, key);
  return v ? format_value(*v) : "-";
}

Table verdicts_table(const nlohmann::json& findings) {
  Table t{"Claim vs delivered", {"what", "dtype", "claimed", "delivered", "unit", "ratio", "claim", "note"}, {}, {}};
  for (auto& v : array_at(findings, "verdicts")) {
    t.rows.push_back({text_at(v, "what", "?"), text_at(v, "dtype", "-"), number_cell(v, "claimed"),
                      number_cell(v, "delivered"), text_at(v, "unit"), number_cell(v, "ratio"),
                      text_at(v, "claim_kind", "-"), text_at(v, "note")});
    t.notes.push_back(fmt::format("{} {}: claim from {}", text_at(v, "what", "?"), text_at(v, "dtype"),
                                  text_at(v, "claim_source", "an unnamed source")));
  }
  if (t.rows.empty()) t.notes.push_back("no claim was held against a measured figure in this run");
  return t;
}

Table roofline_table(const nlohmann::json& findings) {
  const auto roofline = object_at(findings, "roofline");
  Table t{"Roofline", {"workload", "FLOP/byte", "GFLOP/s", "roof", "ridge FLOP/byte", "bound", "share of roof"}, {}, {}};
  for (auto& p : array_at(roofline, "points"))
    t.rows.push_back({text_at(p, "name", "?"), number_cell(p, "intensity"), number_cell(p, "gflops"),
                      text_at(p, "ceiling_dtype", "-"), number_cell(p, "ridge"), text_at(p, "bound", "-"),
                      number_cell(p, "fraction")});
  if (auto bw = number_at(roofline, "bandwidth_gbs"))
    t.notes.push_back(fmt::format("bandwidth {} GB/s: {}", format_value(*bw), text_at(roofline, "bandwidth_how")));
  for (auto& c : array_at(roofline, "ceilings"))
    t.notes.push_back(fmt::format("{} roof {} GFLOP/s: {}", text_at(c, "dtype", "?"), number_cell(c, "gflops"),
                                  text_at(c, "how")));
  if (t.notes.empty()) t.notes.push_back("not measured in this run");
  return t;
}

Table ranking_table(const nlohmann::json& findings) {
  const auto ranking = object_at(findings, "ranking");
  Table t{fmt::format("Ranking: decode tokens/s on {} {}", text_at(ranking, "model", "-"), text_at(ranking, "quant")),
          {"#", "system", "figure", "decode tok/s", "prefill tok/s", "price $", "tok/s per k$", "W", "tok/s per W"},
          {},
          {}};
  int rank = 0;
  for (auto& r : array_at(ranking, "rows"))
    t.rows.push_back({std::to_string(++rank),
                      text_at(r, "name", text_at(r, "id", "?")) + (flag_at(r, "this_machine") ? " (this machine)" : ""),
                      text_at(r, "source", "-"), number_cell(r, "decode_tps"), number_cell(r, "prefill_tps"),
                      number_cell(r, "price_usd"), number_cell(r, "decode_per_kusd"), number_cell(r, "watts"),
                      number_cell(r, "decode_per_watt")});
  t.notes.push_back(t.rows.empty() ? "no ranking: no decode rate measured here, or no system in the catalog to rank it against"
                                   : "a projection is estimated from the system's claimed bandwidth, not measured");
  return t;
}

Table advice_table(const nlohmann::json& findings) {
  Table t{"Advice", {"advice"}, {}, {}};
  for (auto& a : array_at(findings, "advice"))
    if (a.is_string()) t.rows.push_back({a.get<std::string>()});
  if (t.rows.empty()) t.notes.push_back("none for this run");
  return t;
}

}  // namespace

std::vector<Table> findings_tables(const nlohmann::json& findings) {
  const auto system = object_at(findings, "system");
  Table recognised{"Recognised as", {"catalog id", "name"}, {}, {}};
  if (auto name = text_at(system, "name"); !name.empty()) recognised.rows.push_back({text_at(system, "id"), name});
  else recognised.notes.push_back("not a system in the catalog");
  return {recognised, verdicts_table(findings), roofline_table(findings), ranking_table(findings), advice_table(findings)};
}

std::string render_with_findings(const RunRecord& run, const nlohmann::json& findings, Format format) {
  std::string out = render_run(run, format);
  if (format == Format::json) {
    // Parsed back from show's own JSON, so that the two commands never disagree about the run.
    auto j = nlohmann::json::parse(out);
    j["findings"] = findings;
    return j.dump(2) + "\n";
  }
  for (auto& t : findings_tables(findings)) out += (format == Format::csv ? "\n" : "") + draw(t, format) + "\n";
  return out;
}

}  // namespace specgap::report
