// specgap predict --model M [--quant Q] [--system S]: a projection of prefill and decode tokens/s and
// time to first token for a model on this machine (from its stored measurements) or on a catalog
// system (from its claims), beside every published figure for that model on that system with the
// projection's error. Everything it prints is a projection and says so.
#include <fmt/format.h>

#include <cmath>
#include <cstdio>
#include <map>

#include "analysis/predict.h"
#include "analysis/this_machine.h"
#include "cli/app.h"
#include "cli/catalog_source.h"
#include "cli/latest_results.h"
#include "cli/model_choice.h"
#include "cli/session.h"
#include "core/error.h"
#include "core/stats.h"
#include "report/render.h"

namespace specgap::cli {
namespace {

struct PredictOptions {
  std::string model, quant, system;
  int devices = 1;
  double prompt = 512, generate = 128, depth = 0;
  std::vector<std::string> catalog_dirs;
  bool check = false;
};

std::string tps(const std::optional<double>& v) { return v ? report::format_value(*v) : "-"; }
std::string signed_pct(double e) { return fmt::format("{:+.0f}%", e * 100); }

struct Target {
  analysis::Ceilings ceilings;
  std::optional<analysis::Efficiency> decode, prefill;
};

Target catalog_target(const std::vector<catalog::System>& systems, const PredictOptions& o) {
  const auto& s = find_system(systems, o.system);
  const auto c = analysis::catalog_ceilings(s, o.devices);
  if (!c) throw UsageError("catalog system '" + s.id + "' has no memory bandwidth claim: nothing to project from");
  return {*c, analysis::kind_efficiency(systems, c->kind, "llm_tg", s.id),
          analysis::kind_efficiency(systems, c->kind, "llm_pp", s.id)};
}

Target machine_target(const std::vector<catalog::System>& systems, const GlobalOptions& g) {
  const auto here = measured_here(g, "give --system");
  Target t{*analysis::measured_ceilings(here.figures), analysis::efficiency_here(here.figures, systems, "llm_tg"),
           analysis::efficiency_here(here.figures, systems, "llm_pp")};
  t.ceilings.basis += " (runs " + fmt::format("{}", fmt::join(here.run_ids, ", ")) + ")";
  return t;
}

nlohmann::json projection_json(const analysis::ModelCost& cost, const Target& t, const analysis::Projection& p,
                               const analysis::Workload& w) {
  auto opt = [](const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); };
  auto eff = [](const std::optional<analysis::Efficiency>& e) {
    return e ? nlohmann::json{{"value", e->value}, {"runs", e->runs}, {"basis", e->basis}} : nlohmann::json(nullptr);
  };
  return {{"projection", true},
          {"model", cost.model},
          {"quant", cost.quant},
          {"layout", cost.layout},
          {"system", {{"id", t.ceilings.id}, {"name", t.ceilings.name}, {"kind", t.ceilings.kind},
                      {"devices", t.ceilings.devices}, {"basis", t.ceilings.basis}}},
          {"workload", {{"prompt", w.prompt}, {"generate", w.generate}, {"depth", w.depth}}},
          {"weight_bytes", cost.weight_bytes},
          {"decode_bytes_per_token", p.decode_bytes},
          {"flops_per_token", p.token_flops},
          {"bandwidth_gbs", t.ceilings.bandwidth_gbs},
          {"compute_tflops", opt(t.ceilings.compute_tflops)},
          {"compute_dtype", t.ceilings.compute_dtype},
          {"decode_ceiling_tps", p.decode_ceiling_tps},
          {"prefill_ceiling_tps", opt(p.prefill_ceiling_tps)},
          {"decode_efficiency", eff(t.decode)},
          {"prefill_efficiency", eff(t.prefill)},
          {"decode_tps", opt(p.decode_tps)},
          {"prefill_tps", opt(p.prefill_tps)},
          {"ttft_s", opt(p.ttft_s)},
          {"needs_gb", p.needs_gb},
          {"capacity_gb", opt(t.ceilings.capacity_gb)},
          {"fits", p.fits ? nlohmann::json(*p.fits) : nlohmann::json(nullptr)}};
}

report::Table projection_table(const analysis::ModelCost& cost, const Target& t, const analysis::Projection& p,
                               const analysis::Workload& w) {
  const auto& c = t.ceilings;
  report::Table tab{fmt::format("Projection (not a measurement): {} {} on {}{}, pp{:.0f} / tg{:.0f}{}", cost.model,
                                cost.quant, c.devices > 1 ? fmt::format("{}x ", c.devices) : "", c.name, w.prompt,
                                w.generate, w.depth > 0 ? fmt::format(" @ d{:.0f}", w.depth) : ""),
                    {"figure", "value", "how"},
                    {},
                    {}};
  tab.rows.push_back({"weights", fmt::format("{:.2f} GB", cost.weight_bytes / 1e9), cost.layout});
  const std::string capacity =
      c.capacity_gb ? fmt::format("{:.0f} GB{}", *c.capacity_gb * c.devices, c.devices > 1 ? " in all" : "") : "unknown";
  tab.rows.push_back({"fits in memory",
                      p.fits ? (*p.fits ? "yes" : "NO") : "unknown",
                      fmt::format("needs {:.1f} GB (weights + f16 KV cache of {:.0f} positions); capacity {}", p.needs_gb,
                                  w.depth + w.prompt + w.generate, capacity)});
  tab.rows.push_back({"decode ceiling", fmt::format("{} tokens/s", report::format_value(p.decode_ceiling_tps)),
                      fmt::format("{:.0f} GB/s / {:.3f} GB read per token", c.bandwidth_gbs, p.decode_bytes / 1e9)});
  tab.rows.push_back({"decode efficiency", t.decode ? fmt::format("{:.2f}", t.decode->value) : "-",
                      t.decode ? fmt::format("{} ({})", t.decode->basis, t.decode->runs) : "no published decode run"});
  tab.rows.push_back({"decode (projection)", tps(p.decode_tps) + " tokens/s", "ceiling x efficiency"});
  if (p.prefill_ceiling_tps) {
    tab.rows.push_back({"prefill ceiling", tps(p.prefill_ceiling_tps) + " tokens/s",
                        fmt::format("{} {} TFLOP/s dense / {:.1f} GFLOP per token", c.compute_dtype,
                                    report::format_value(*c.compute_tflops), p.token_flops / 1e9)});
    tab.rows.push_back({"prefill efficiency", t.prefill ? fmt::format("{:.2f}", t.prefill->value) : "-",
                        t.prefill ? fmt::format("{} ({})", t.prefill->basis, t.prefill->runs) : "no published prefill run"});
    tab.rows.push_back({"prefill (projection)", tps(p.prefill_tps) + " tokens/s", "ceiling x efficiency"});
    tab.rows.push_back({"time to first token", p.ttft_s ? fmt::format("{:.3f} s", *p.ttft_s) : "-",
                        fmt::format("{:.0f} prompt tokens / prefill rate", w.prompt)});
  } else {
    tab.rows.push_back({"prefill", "-", "no dense compute claim for this system: prefill is not projected"});
  }
  tab.notes.push_back("ceilings: " + c.basis);
  if (c.devices > 1)
    tab.notes.push_back("layers split across the devices (llama.cpp's default): one works at a time, so a token "
                        "streams every weight at one device's bandwidth; capacity adds up");
  return tab;
}

// Every published figure for this model on this system, with the projection at that figure's workload.
report::Table published_table(const std::vector<catalog::System>& systems, const analysis::ModelCost& cost,
                              const Target& t, nlohmann::json& out) {
  report::Table tab{"Published figures for this model on this system, beside the projection at their workload",
                    {"stage", "test", "published", "projection", "error", "quant", "tool", "source"},
                    {},
                    {}};
  out = nlohmann::json::array();
  for (const auto& r : analysis::published_runs(systems)) {
    if (r.system_id != t.ceilings.id || r.cost.model != cost.model) continue;
    auto c = t.ceilings;
    c.devices = r.devices;
    const auto p = analysis::project(r.cost, c, r.workload, t.decode, t.prefill);
    const bool decode = r.what == "llm_tg";
    const auto projected = decode ? p.decode_tps : p.prefill_tps;
    const auto err = projected ? std::optional<double>(*projected / r.value - 1) : std::nullopt;
    const std::string test = decode ? fmt::format("tg{:.0f}", r.workload.generate) : fmt::format("pp{:.0f}", r.workload.prompt);
    const std::string at = r.workload.depth > 0 ? fmt::format(" @ d{:.0f}", r.workload.depth) : "";
    const std::string devices = r.devices > 1 ? fmt::format(", {} devices", r.devices) : "";
    tab.rows.push_back({decode ? "decode" : "prefill", test + at + devices, report::format_value(r.value),
                        tps(projected), err ? signed_pct(*err) : "-",
                        r.cost.quant + (r.quant_assumed ? " (assumed)" : ""), r.tool.empty() ? "not stated" : r.tool,
                        r.source});
    out.push_back({{"stage", decode ? "decode" : "prefill"}, {"published", r.value},
                   {"projection", projected ? nlohmann::json(*projected) : nlohmann::json(nullptr)},
                   {"error", err ? nlohmann::json(*err) : nlohmann::json(nullptr)}, {"quant", r.cost.quant},
                   {"quant_assumed", r.quant_assumed}, {"tool", r.tool}, {"params", r.params}, {"source", r.source},
                   {"devices", r.devices}});
  }
  if (tab.rows.empty()) tab.notes.push_back("none in the catalog");
  return tab;
}

// The model against every published figure it can be held to, with the median absolute error.
int run_check(const PredictOptions& o, const GlobalOptions& g) {
  const auto checks = analysis::check_projections(load_catalog_with(o.catalog_dirs));
  report::Table t{"Projections (each system's own published runs left out of its efficiency) against published figures",
                  {"system", "model", "quant", "stage", "test", "published", "projection", "error", "tool"},
                  {},
                  {}};
  nlohmann::json rows = nlohmann::json::array();
  std::map<std::string, std::vector<double>> errors;  // by stage, and by stage for llama.cpp runs
  for (const auto& c : checks) {
    const auto& r = c.run;
    const bool decode = r.what == "llm_tg";
    const std::string stage = decode ? "decode" : "prefill";
    std::string test = decode ? fmt::format("tg{:.0f}", r.workload.generate) : fmt::format("pp{:.0f}", r.workload.prompt);
    if (r.workload.depth > 0) test += fmt::format(" @ d{:.0f}", r.workload.depth);
    if (r.devices > 1) test += fmt::format(", {} devices", r.devices);
    t.rows.push_back({r.system_id, r.cost.model, r.cost.quant + (r.quant_assumed ? " (assumed)" : ""), stage, test,
                      report::format_value(r.value), tps(c.projected), c.error ? signed_pct(*c.error) : "-",
                      r.tool.empty() ? "not stated" : r.tool});
    if (c.error) {
      errors[stage].push_back(std::fabs(*c.error));
      if (r.llama_cpp) errors[stage + " (llama.cpp runs)"].push_back(std::fabs(*c.error));
    }
    rows.push_back({{"system", r.system_id}, {"model", r.cost.model}, {"quant", r.cost.quant},
                    {"quant_assumed", r.quant_assumed}, {"stage", stage}, {"test", test}, {"published", r.value},
                    {"projection", c.projected ? nlohmann::json(*c.projected) : nlohmann::json(nullptr)},
                    {"error", c.error ? nlohmann::json(*c.error) : nlohmann::json(nullptr)}, {"tool", r.tool},
                    {"llama_cpp", r.llama_cpp}, {"source", r.source}});
  }
  nlohmann::json summary = nlohmann::json::object();
  for (const auto& [what, e] : errors) {
    summary[what] = {{"median_abs_error", median(e)}, {"runs", e.size()}};
    t.notes.push_back(fmt::format("median absolute error, {}: {:.0f}% over {} runs", what, median(e) * 100, e.size()));
  }
  if (g.format() == report::Format::json) {
    std::printf("%s\n", nlohmann::json{{"checks", rows}, {"summary", summary}}.dump(2).c_str());
    return kExitOk;
  }
  std::fputs(report::draw(t, g.format()).c_str(), stdout);
  return kExitOk;
}

int run_predict(const PredictOptions& o, const GlobalOptions& g) {
  if (o.check) return run_check(o, g);
  if (o.model.empty()) throw UsageError("predict needs --model (or --check)");
  const analysis::ModelCost cost = chosen_model(o.model, o.quant);
  if (o.devices < 1 || o.devices > 64) throw UsageError("--devices must be 1 to 64");
  if (!(o.prompt >= 1 && o.generate >= 1 && o.depth >= 0)) throw UsageError("-p and -n must be >= 1, -d >= 0");
  const auto systems = load_catalog_with(o.catalog_dirs);
  Target t = o.system.empty() ? machine_target(systems, g) : catalog_target(systems, o);
  const analysis::Workload w{o.prompt, o.generate, o.depth};
  const auto p = analysis::project(cost, t.ceilings, w, t.decode, t.prefill);
  nlohmann::json published;
  const auto pub = published_table(systems, cost, t, published);
  if (g.format() == report::Format::json) {
    auto j = projection_json(cost, t, p, w);
    j["published"] = published;
    std::printf("%s\n", j.dump(2).c_str());
    return kExitOk;
  }
  std::fputs((report::draw(projection_table(cost, t, p, w), g.format()) + "\n" + report::draw(pub, g.format())).c_str(),
             stdout);
  return kExitOk;
}
}  // namespace

Command add_predict_command(CLI::App& app, GlobalOptions& g) {
  auto o = std::make_shared<PredictOptions>();
  auto* sub = app.add_subcommand("predict", "project LLM prefill/decode tokens/s and TTFT for a model on this machine or a catalog system");
  sub->add_option("--model", o->model, "llama-3.2-1b, llama-3.2-3b, llama-3.1-8b, llama-3.3-70b, gpt-oss-20b, gpt-oss-120b");
  sub->add_flag("--check", o->check, "hold the projection model against every published figure in the catalog");
  sub->add_option("--quant", o->quant, "q4_0, q4_k_m, q6_k, q8_0, f16, bf16, fp8; mxfp4 or mxfp4-f16 for GPT-OSS (default: how the model usually ships)");
  sub->add_option("--system", o->system, "a catalog system's id (default: this machine, from its stored measurements)");
  sub->add_option("--devices", o->devices, "identical devices the layers are split across (default 1)");
  sub->add_option("-p,--prompt", o->prompt, "prompt tokens (default 512)");
  sub->add_option("-n,--gen", o->generate, "generated tokens (default 128)");
  sub->add_option("-d,--depth", o->depth, "positions already in the cache (default 0)");
  add_catalog_option(sub, o->catalog_dirs);
  return {sub, [o, &g] { return run_predict(*o, g); }};
}

}  // namespace specgap::cli
