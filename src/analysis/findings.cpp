#include "analysis/findings.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>

#include "analysis/claims.h"
#include "analysis/device_claims.h"
#include "analysis/ranking.h"
#include "analysis/recognise.h"
#include "analysis/roofline.h"
#include "analysis/soak.h"
#include "analysis/this_machine.h"

namespace specgap::analysis {
namespace {

std::vector<std::string> advice(const MachineFigures& f, const std::optional<Roofline>& roof,
                                const std::vector<Verdict>& verdicts, const std::vector<Result>& results) {
  std::vector<std::string> out;
  if (!f.bandwidth_gbs && !f.no_bandwidth.empty())
    out.push_back(fmt::format("{}{}. The roofline, the ranking and projections stand on it.",
                                                  char(std::toupper(f.no_bandwidth[0])), f.no_bandwidth.substr(1)));
  if (roof)
    for (const auto& p : roof->points) {
      if (p.name.rfind("tg", 0) == 0 && p.bound == "memory")
        // Its roof is named: the read bandwidth of its own run where it has one (the LLM table's figure).
        out.push_back(fmt::format("Decode ({}) is bandwidth-bound here: it streams {:.2f} FLOP per byte, left of the "
                                  "{} ridge at {:.1f}, and used {:.2f} of {} ({:.1f} GB/s). A machine with 2x the "
                                  "bandwidth would decode about 2x faster; more compute would not help.",
                                  p.name, p.intensity, p.ceiling_dtype, p.ridge, p.fraction, p.bandwidth_how,
                                  p.bandwidth_gbs));
      if (p.name.rfind("pp", 0) == 0)
        out.push_back(fmt::format("Prefill ({}) is {}-bound: {:.0f} FLOP per byte against a ridge at {:.1f}; it ran at "
                                  "{:.2f} of the measured {} rate{}.",
                                  p.name, p.bound, p.intensity, p.ridge, p.fraction, p.ceiling_dtype,
                                  p.bound == "compute" ? ", so time to first token scales with compute, not bandwidth" : ""));
    }
  // What fits: the catalog's usual models at their usual quants.
  if (f.memory_gb)
    for (auto [model, quant] : {std::pair{"llama-3.1-8b", "q4_k_m"}, {"gpt-oss-20b", "mxfp4"}, {"llama-3.3-70b", "q4_k_m"},
                                {"gpt-oss-120b", "mxfp4"}}) {
      const auto c = model_cost(model, quant);
      const double need = (c->weight_bytes + c->kv_bytes(4096)) / 1e9;
      const bool fits = need <= 0.9 * *f.memory_gb;  // the OS and the engine need their share
      std::string decode;
      for (const auto& l : f.llm)
        if (l.cost.model == c->model && l.cost.quant == c->quant && l.name.rfind("tg", 0) == 0 && decode.empty())
          decode = fmt::format(", and decoded at {:.1f} tokens/s here ({}, measured)", l.tps, l.name);
      if (const auto ceil = measured_ceilings(f); ceil && fits && decode.empty())
        if (const auto e = measured_efficiency(f, "llm_tg"))
          decode = fmt::format(", and would decode at about {:.1f} tokens/s (projection from this machine's measured "
                               "bandwidth and decode efficiency)",
                               e->value * ceil->bandwidth_gbs * 1e9 / c->decode_bytes(64));
      out.push_back(fmt::format("{} {} needs {:.1f} GB with a 4096-token cache: it {} in this machine's {:.1f} GB{}.", model,
                                quant, need, fits ? "fits" : "does not fit", *f.memory_gb, decode));
    }
  for (const auto& v : verdicts)
    if (v.ratio < 0.7)
      out.push_back(fmt::format("{}{} delivered {:.2f} of its claim ({:g} of {:g} {}){}.", v.what,
                                v.dtype ? " " + *v.dtype : "", v.ratio, v.delivered, v.claimed, v.unit,
                                v.note.empty() ? "" : ": " + v.note));
  for (const auto& r : results)
    if (r.suite == "soak" && r.params.contains("sustained_ratio") && r.params["sustained_ratio"].is_number()) {
      const double s = r.params["sustained_ratio"].get<double>();
      const std::string first = "the " + first_window_name(r);
      out.push_back(s < 0.9 ? fmt::format("Under sustained load ({}) performance fell to {:.2f} of {}: see the soak "
                                          "timeline for when and why.", r.name, s, first)
                            : fmt::format("Sustained load ({}) held {:.2f} of its rate over {}: no throttling seen in "
                                          "this run.", r.name, s, first));
    }
  return out;
}

}  // namespace

nlohmann::json audit_findings(const RunRecord& run, const std::vector<catalog::System>& catalog) {
  const auto f = machine_figures(run.results, run.machine);
  nlohmann::json out;
  const auto devices = recognise_devices(run.machine, catalog);
  out["recognised"] = to_json(devices);

  std::vector<Verdict> verdicts = theoretical_peak_verdicts(run.results);
  out["verdicts"] = nlohmann::json::array();
  for (const auto& v : verdicts) {
    auto j = to_json(v);
    j["claim_kind"] = "theoretical";
    out["verdicts"].push_back(j);
  }
  for (const auto& c : hold_device_claims(devices, run.results, run.machine)) {
    out["verdicts"].push_back(to_json(c));
    if (c.measured) verdicts.push_back(c.verdict);
  }

  const auto roof = roofline(f, run.results);
  out["roofline"] = roof ? to_json(*roof) : nlohmann::json{{"ceilings", nlohmann::json::array()}, {"points", nlohmann::json::array()}};

  // Every other device measured in the run has a roofline of its own figures; a software device's
  // figures are no hardware's, so it has none.
  out["device_rooflines"] = nlohmann::json::array();
  std::vector<std::string> others;
  for (const auto& r : run.results)
    if (r.device != "cpu" && r.params.value("device_kind", "") != "software" &&
        std::find(others.begin(), others.end(), r.device) == others.end())
      others.push_back(r.device);
  for (const auto& device : others)
    if (const auto g = roofline(machine_figures(run.results, run.machine, device), run.results))
      out["device_rooflines"].push_back({{"device", device}, {"roofline", to_json(*g)}});

  out["ranking"] = {{"rows", nlohmann::json::array()}};
  if (f.bandwidth_gbs)
    if (const auto r = rank_systems(catalog, ThisMachine{&f, std::nullopt, std::nullopt}, "llama-3.1-8b", "q4_k_m"))
      out["ranking"] = to_json(*r);
  out["advice"] = advice(f, roof, verdicts, run.results);
  return out;
}

}  // namespace specgap::analysis
