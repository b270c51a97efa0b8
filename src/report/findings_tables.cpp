#include "report/findings_tables.h"

#include <fmt/format.h>

#include "report/json_fields.h"

namespace specgap::report {
namespace {

std::string number_cell(const nlohmann::json& j, const char* key) {
  auto v = number_at(j, key);
  return v ? format_value(*v) : "-";
}

}  // namespace

// The one claim-vs-delivered table: each device's theoretical peaks at its measured clock, then the
// catalog's claims, each against its own device's results. The run's tables drawn before the
// findings leave theirs out (Verdicts::in_findings), so that no claim is printed twice.
Table verdicts_table(const nlohmann::json& findings, const std::string& device) {
  Table t{device.empty() ? "Claim vs delivered: each device against its own results" : "Claim vs delivered on " + device,
          {"what", "device", "dtype", "claimed", "delivered", "unit", "ratio", "claim", "note"}, {}, {}};
  for (auto& v : array_at(findings, "verdicts")) {
    if (!device.empty() && text_at(v, "device") != device) continue;
    t.rows.push_back({text_at(v, "what", "?"), text_at(v, "device", "-"), text_at(v, "dtype", "-"),
                      number_cell(v, "claimed"), number_cell(v, "delivered"), text_at(v, "unit"), number_cell(v, "ratio"),
                      text_at(v, "claim_kind", "-"), text_at(v, "note")});
    const std::string dtype = text_at(v, "dtype");
    t.notes.push_back(fmt::format("{}{} on {}: claim from {}", text_at(v, "what", "?"), dtype.empty() ? "" : " " + dtype,
                                  text_at(v, "device", "?"), text_at(v, "claim_source", "an unnamed source")));
  }
  if (t.rows.empty()) t.notes.push_back("no claim was held against a measured figure in this run");
  return t;
}

Table roofline_table(const nlohmann::json& roofline, const std::string& device) {
  Table t{device == "cpu" ? "Roofline" : "Roofline of " + device,
          {"workload", "FLOP/byte", "GFLOP/s", "roof", "memory roof GB/s", "ridge FLOP/byte", "bound", "share of roof"},
          {},
          {}};
  const auto bw = number_at(roofline, "bandwidth_gbs");
  for (auto& p : array_at(roofline, "points")) {
    const auto share = number_at(p, "fraction");
    // Two decimals, as the LLM table gives decode's share of its read bandwidth: one figure, one number.
    t.rows.push_back({text_at(p, "name", "?"), number_cell(p, "intensity"), number_cell(p, "gflops"),
                      text_at(p, "ceiling_dtype", "-"), number_cell(p, "bandwidth_gbs"), number_cell(p, "ridge"),
                      text_at(p, "bound", "-"), share ? fmt::format("{:.2f}", *share) : "-"});
    if (auto own = number_at(p, "bandwidth_gbs"); own && bw && *own != *bw)
      t.notes.push_back(fmt::format("{}: memory roof {} GB/s, {}", text_at(p, "name", "?"), format_value(*own),
                                    text_at(p, "bandwidth_how")));
  }
  if (bw) t.notes.push_back(fmt::format("bandwidth {} GB/s: {}", format_value(*bw), text_at(roofline, "bandwidth_how")));
  for (auto& c : array_at(roofline, "ceilings"))
    t.notes.push_back(fmt::format("{} roof {} GFLOP/s: {}", text_at(c, "dtype", "?"), number_cell(c, "gflops"),
                                  text_at(c, "how")));
  if (t.notes.empty()) t.notes.push_back("not measured in this run");
  return t;
}

namespace {

// What a row's figures are, and for this machine's own runs which tests: the heading's test is not
// what a short run measured.
std::string figure_cell(const nlohmann::json& row) {
  const std::string test = text_at(row, "test");
  return text_at(row, "source", "-") + (test.empty() ? "" : " " + test);
}

}  // namespace

Table ranking_table(const nlohmann::json& ranking) {
  const auto workload = object_at(ranking, "workload");
  // A ranking that was not made has no model and no test to name in its title.
  const std::string model = text_at(ranking, "model");
  Table t{model.empty() ? std::string("Ranking")
                        : fmt::format("Ranking: decode tokens/s on {} {} (pp{:.0f} / tg{:.0f}), fitting systems first",
                                      model, text_at(ranking, "quant"), workload.value("prompt", 512.0),
                                      workload.value("generate", 128.0)),
          {"#", "system", "kind", "figure", "decode tok/s", "prefill tok/s", "published tok/s", "price $", "tok/s per k$",
           "W", "tok/s per W", "fits"},
          {},
          {}};
  int rank = 0;
  for (auto& r : array_at(ranking, "rows")) {
    const auto fits = r.contains("fits") && r["fits"].is_boolean() ? (r["fits"].get<bool>() ? "yes" : "no") : "?";
    t.rows.push_back({std::to_string(++rank),
                      text_at(r, "name", text_at(r, "id", "?")) + (flag_at(r, "this_machine") ? " (this machine)" : ""),
                      text_at(r, "kind", "-"), figure_cell(r), number_cell(r, "decode_tps"),
                      number_cell(r, "prefill_tps"), number_cell(r, "published_decode_tps"), number_cell(r, "price_usd"),
                      number_cell(r, "decode_per_kusd"), number_cell(r, "watts"), number_cell(r, "decode_per_watt"), fits});
  }
  if (t.rows.empty()) {
    t.notes.push_back("no ranking: no bandwidth measured here, or no system in the catalog to rank it against");
    return t;
  }
  t.notes.push_back("projection: the system's bandwidth (claimed; measured for this machine) and dense compute x the "
                    "efficiency other systems of its kind reached in published llama.cpp runs (specgap predict --check "
                    "gives its error); measured: this machine ran that model, in the tests named (the heading's test "
                    "where it ran that one)");
  t.notes.push_back("published: a llama.cpp figure for exactly this model and quant at depth 0, where the catalog has "
                    "one (specgap catalog ID gives its source)");
  t.notes.push_back("price: the catalog's list price (its date in specgap catalog ID); W: its TDP or board power claim");
  return t;
}

Table hardware_table(const nlohmann::json& rows) {
  const std::vector<std::string> dtypes = {"fp64", "fp32", "bf16", "fp16", "fp8", "fp4", "int8"};
  Table t{"Hardware: memory bandwidth and dense compute (TFLOP/s; int8 TOP/s), by bandwidth", {"system", "kind", "GB/s"},
          {},
          {}};
  for (const auto& d : dtypes) t.header.push_back(d);
  for (const char* h : {"GB/s per k$", "GB/s per W", "figures"}) t.header.push_back(h);
  for (const auto& r : rows) {
    std::vector<std::string> cells = {
        text_at(r, "name", text_at(r, "id", "?")) + (flag_at(r, "this_machine") ? " (this machine)" : ""),
        text_at(r, "kind", "-"), number_cell(r, "bandwidth_gbs")};
    const auto tflops = object_at(r, "dense_tflops");
    for (const auto& d : dtypes) cells.push_back(number_cell(tflops, d.c_str()));
    cells.push_back(number_cell(r, "gbs_per_kusd"));
    cells.push_back(number_cell(r, "gbs_per_watt"));
    cells.push_back(text_at(r, "source", "-"));
    t.rows.push_back(std::move(cells));
  }
  t.notes.push_back("claims: the vendor's dense figures (a sparse claim halved; the lower fp16 figure where two are "
                    "quoted), else figures derived from them (a CPU's cores x clock x FLOP/cycle); NPU figures left out");
  t.notes.push_back("measured: this machine's best DRAM bandwidth and best compute per dtype (peak kernel or GEMM)");
  return t;
}

namespace {

Table advice_table(const nlohmann::json& findings) {
  Table t{"Advice", {"advice"}, {}, {}};
  for (auto& a : array_at(findings, "advice"))
    if (a.is_string()) t.rows.push_back({a.get<std::string>()});
  if (t.rows.empty()) t.notes.push_back("none for this run");
  return t;
}

}  // namespace

std::vector<Table> findings_tables(const nlohmann::json& findings) {
  Table recognised{
      "Recognised as (each device on its own)", {"device", "name here", "catalog id", "catalog name", "how"}, {}, {}};
  for (auto& d : array_at(findings, "recognised")) {
    const auto system = object_at(d, "system");
    recognised.rows.push_back({text_at(d, "device", "?"), text_at(d, "name", "-"), text_at(system, "id", "-"),
                               text_at(system, "name", "not in the catalog"), text_at(d, "how", "-")});
  }
  recognised.notes.push_back("a device's claims are held only against that device's own results");
  std::vector<Table> tables = {recognised, verdicts_table(findings), roofline_table(object_at(findings, "roofline"), "cpu")};
  for (auto& d : array_at(findings, "device_rooflines"))
    tables.push_back(roofline_table(object_at(d, "roofline"), text_at(d, "device", "?")));
  tables.push_back(ranking_table(object_at(findings, "ranking")));
  tables.push_back(advice_table(findings));
  return tables;
}

std::string render_with_findings(const RunRecord& run, const nlohmann::json& findings, Format format) {
  std::string out = render_run(run, format, Verdicts::in_findings);
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
