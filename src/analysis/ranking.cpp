#include "analysis/ranking.h"

#include <fmt/format.h>

#include <algorithm>

namespace specgap::analysis {

std::optional<double> RankRow::decode_per_kusd() const {
  if (!decode_tps || !price_usd || *price_usd <= 0) return std::nullopt;
  return *decode_tps / *price_usd * 1000;
}
std::optional<double> RankRow::decode_per_watt() const {
  if (!decode_tps || !watts || *watts <= 0) return std::nullopt;
  return *decode_tps / *watts;
}

namespace {
// The figure of this machine's own runs of the model for one stage: the ranking's own test where it ran
// that one, else the fastest test it did run (named in the row, never passed off as the heading's).
const LlmFigure* own_run(const MachineFigures& f, const ModelCost& cost, const Workload& w, bool decode) {
  const LlmFigure* best = nullptr;
  const auto is_heading = [&](const LlmFigure& l) {
    return decode ? l.workload.generate == w.generate : l.workload.prompt == w.prompt;
  };
  for (const auto& l : f.llm) {
    if (l.cost.model != cost.model || l.cost.quant != cost.quant || l.workload.depth != 0 ||
        (l.name.rfind("tg", 0) == 0) != decode)
      continue;
    if (!best || is_heading(l) > is_heading(*best) || (is_heading(l) == is_heading(*best) && l.tps > best->tps)) best = &l;
  }
  return best;
}

// "tg16, pp64 (1 repetition)", or each test with its own count when they differ.
std::string tests_text(const std::vector<const LlmFigure*>& runs) {
  const auto reps = [](size_t n) { return fmt::format("{} repetition{}", n, n == 1 ? "" : "s"); };
  std::string out;
  const bool same = std::all_of(runs.begin(), runs.end(), [&](auto* l) { return l->reps == runs.front()->reps; });
  for (const auto* l : runs) out += (out.empty() ? "" : ", ") + l->name + (same ? "" : " (" + reps(l->reps) + ")");
  return same && !runs.empty() ? out + " (" + reps(runs.front()->reps) + ")" : out;
}

RankRow this_machine_row(const ThisMachine& here, const ModelCost& cost, const Workload& w,
                         const std::vector<catalog::System>& catalog) {
  RankRow row;
  row.id = "this-machine";
  row.kind = "cpu";
  row.this_machine = true;
  row.price_usd = here.price_usd;
  row.watts = here.watts;
  const auto& f = *here.figures;
  const auto c = measured_ceilings(f);
  row.name = c ? c->name : "this machine";
  // Its own run of this very model and quant is the figure; otherwise, project from its ceilings.
  const LlmFigure* decode = own_run(f, cost, w, true);
  const LlmFigure* prefill = own_run(f, cost, w, false);
  std::vector<const LlmFigure*> ran;
  for (const auto* l : {decode, prefill})
    if (l) ran.push_back(l);
  if (prefill) row.prefill_tps = prefill->tps;
  if (decode) {
    row.decode_tps = decode->tps;
    row.source = "measured";
    row.test = tests_text(ran);
  } else if (c) {
    const auto p = project(cost, *c, w, efficiency_here(f, catalog, "llm_tg"), efficiency_here(f, catalog, "llm_pp"));
    row.decode_tps = p.decode_tps;
    if (!row.prefill_tps) row.prefill_tps = p.prefill_tps;
    row.fits = p.fits;
    row.source = "projection";
    if (prefill) row.test = "prefill measured: " + tests_text({prefill});
  }
  if (c && c->capacity_gb) row.fits = (cost.weight_bytes + cost.kv_bytes(w.prompt + w.generate)) / 1e9 <= *c->capacity_gb;
  return row;
}
}  // namespace

std::optional<Ranking> rank_systems(const std::vector<catalog::System>& catalog, const ThisMachine& here,
                                    const std::string& model, const std::string& quant, const Workload& w) {
  const auto cost = model_cost(model, quant);
  if (!cost) return std::nullopt;
  Ranking r{cost->model, cost->quant, w, {}};
  if (here.figures) r.rows.push_back(this_machine_row(here, *cost, w, catalog));
  const auto published = published_runs(catalog);
  for (const auto& s : catalog) {
    const auto c = catalog_ceilings(s);
    if (!c) continue;
    const auto p = project(*cost, *c, w, kind_efficiency(catalog, c->kind, "llm_tg", s.id),
                           kind_efficiency(catalog, c->kind, "llm_pp", s.id));
    RankRow row{s.id, s.name, c->kind, false, p.decode_tps, p.prefill_tps, "projection", "", std::nullopt,
                c->price_usd, c->watts, p.fits};
    for (const auto& run : published)
      if (run.system_id == s.id && run.what == "llm_tg" && run.llama_cpp && !run.quant_assumed && run.devices == 1 &&
          run.cost.model == cost->model && run.cost.quant == cost->quant && run.workload.depth == 0)
        row.published_decode_tps = std::max(row.published_decode_tps.value_or(0), run.value);
    r.rows.push_back(std::move(row));
  }
  std::stable_sort(r.rows.begin(), r.rows.end(), [](const RankRow& a, const RankRow& b) {
    const bool fa = a.fits.value_or(true), fb = b.fits.value_or(true);
    if (fa != fb) return fa;
    return a.decode_tps.value_or(0) > b.decode_tps.value_or(0);
  });
  return r;
}

namespace {
nlohmann::json opt(const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); }
}  // namespace

nlohmann::json to_json(const Ranking& r) {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& row : r.rows)
    rows.push_back({{"id", row.id},
                    {"name", row.name},
                    {"kind", row.kind},
                    {"this_machine", row.this_machine},
                    {"decode_tps", opt(row.decode_tps)},
                    {"prefill_tps", opt(row.prefill_tps)},
                    {"source", row.source},
                    {"test", row.test},
                    {"published_decode_tps", opt(row.published_decode_tps)},
                    {"price_usd", opt(row.price_usd)},
                    {"decode_per_kusd", opt(row.decode_per_kusd())},
                    {"watts", opt(row.watts)},
                    {"decode_per_watt", opt(row.decode_per_watt())},
                    {"fits", row.fits ? nlohmann::json(*row.fits) : nlohmann::json(nullptr)}});
  return {{"model", r.model},
          {"quant", r.quant},
          {"workload", {{"prompt", r.workload.prompt}, {"generate", r.workload.generate}, {"depth", r.workload.depth}}},
          {"rows", rows}};
}

std::vector<HardwareRow> hardware_ranking(const std::vector<catalog::System>& catalog, const ThisMachine& here) {
  std::vector<HardwareRow> rows;
  if (here.figures) {
    const auto& f = *here.figures;
    HardwareRow row{"this-machine", f.cpu_name.empty() ? "this machine" : f.cpu_name, "cpu", true, std::nullopt, {},
                    here.price_usd, here.watts};
    if (f.bandwidth_gbs) row.bandwidth_gbs = f.bandwidth_gbs->value;
    for (const auto& [dtype, fig] : f.compute_gflops) row.tflops[dtype] = fig.value / 1e3;
    rows.push_back(std::move(row));
  }
  for (const auto& s : catalog) {
    const auto c = catalog_ceilings(s);
    HardwareRow row{s.id, s.name, kind_group(s.kind), false, std::nullopt, {}, std::nullopt, std::nullopt};
    if (c) row.bandwidth_gbs = c->bandwidth_gbs, row.price_usd = c->price_usd, row.watts = c->watts;
    // Claims first, then derived figures where no claim gives the dtype; the lower of two claims for a
    // dtype (fp16 with fp32 accumulation, not fp16 accumulation); NPU figures are not the chip's.
    for (const auto* figures : {&s.claims, &s.derived})
      for (const auto& f : *figures) {
        if (f.what != "compute" || !f.dtype || (f.unit != "TFLOP/s" && f.unit != "TOP/s")) continue;
        if (catalog::npu_figure(f)) continue;
        const double dense = f.sparse ? f.value / 2 : f.value;
        auto it = row.tflops.find(*f.dtype);
        if (it == row.tflops.end()) row.tflops[*f.dtype] = dense;
        else if (figures == &s.claims) it->second = std::min(it->second, dense);
      }
    if (row.bandwidth_gbs || !row.tflops.empty()) rows.push_back(std::move(row));
  }
  std::stable_sort(rows.begin(), rows.end(), [](const HardwareRow& a, const HardwareRow& b) {
    return a.bandwidth_gbs.value_or(0) > b.bandwidth_gbs.value_or(0);
  });
  return rows;
}

nlohmann::json to_json(const std::vector<HardwareRow>& rows) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : rows) {
    nlohmann::json j = {{"id", r.id},
                        {"name", r.name},
                        {"kind", r.kind},
                        {"this_machine", r.this_machine},
                        {"bandwidth_gbs", opt(r.bandwidth_gbs)},
                        {"dense_tflops", r.tflops},
                        {"price_usd", opt(r.price_usd)},
                        {"watts", opt(r.watts)},
                        {"source", r.this_machine ? "measured" : "claims"}};
    if (r.bandwidth_gbs && r.price_usd) j["gbs_per_kusd"] = *r.bandwidth_gbs / *r.price_usd * 1000;
    if (r.bandwidth_gbs && r.watts) j["gbs_per_watt"] = *r.bandwidth_gbs / *r.watts;
    out.push_back(j);
  }
  return out;
}

}  // namespace specgap::analysis
