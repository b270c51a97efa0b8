#include "analysis/ranking.h"

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
  for (const auto& l : f.llm)
    if (l.cost.model == cost.model && l.cost.quant == cost.quant && l.workload.depth == 0) {
      auto& slot = l.name.rfind("tg", 0) == 0 ? row.decode_tps : row.prefill_tps;
      slot = std::max(slot.value_or(0), l.tps);
    }
  if (row.decode_tps) {
    row.source = "measured";
  } else if (c) {
    const auto p = project(cost, *c, w, efficiency_here(f, catalog, "llm_tg"), efficiency_here(f, catalog, "llm_pp"));
    row.decode_tps = p.decode_tps;
    if (!row.prefill_tps) row.prefill_tps = p.prefill_tps;
    row.fits = p.fits;
    row.source = "projection";
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
    RankRow row{s.id, s.name, c->kind, false, p.decode_tps, p.prefill_tps, "projection", std::nullopt,
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

}  // namespace specgap::analysis
