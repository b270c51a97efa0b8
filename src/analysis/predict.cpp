#include "analysis/predict.h"

#include <fmt/format.h>

#include <algorithm>
#include <regex>

#include "core/stats.h"

#include "core/text.h"

namespace specgap::analysis {
namespace {

std::string text(const nlohmann::json& detail, const char* key) {
  return detail.contains(key) && detail[key].is_string() ? detail[key].get<std::string>() : "";
}

std::optional<double> first_claim(const catalog::System& s, const std::string& what, const std::string& unit) {
  for (const auto& c : s.claims)
    if (c.what == what && c.unit == unit) return c.value;
  return std::nullopt;
}

// The dense rate llama.cpp's prefill runs at. GPUs multiply dequantised weights on tensor cores in
// 16-bit with 32-bit accumulation: the bf16 claim, else the lower fp16 one (GeForce cards quote fp16
// accumulation at twice the rate), else a derived bf16 figure, else fp32. CPUs: fp32.
std::optional<std::pair<std::string, double>> prefill_compute(const catalog::System& s, const std::string& group) {
  const std::vector<std::string> order = group == "cpu" ? std::vector<std::string>{"fp32"}
                                                          : std::vector<std::string>{"bf16", "fp16", "fp32"};
  for (const auto& dtype : order)
    for (const auto* figures : {&s.claims, &s.derived}) {
      std::optional<double> best;
      for (const auto& f : *figures)
        if (f.what == "compute" && f.dtype == dtype && f.unit == "TFLOP/s") {
          const double dense = f.sparse ? f.value / 2 : f.value;
          best = best ? std::min(*best, dense) : dense;
        }
      if (best) return std::pair{dtype, *best};
    }
  return std::nullopt;
}

std::optional<double> number_after(const std::string& s, const std::regex& pattern) {
  std::smatch m;
  if (std::regex_search(s, m, pattern)) return std::stod(m[1].str());
  return std::nullopt;
}

// "pp2048 @ d8192", "tg32", "tg512, 2x RTX 3090"; a test with no shape written is llama-bench's default.
Workload workload_from(const std::string& params, const nlohmann::json& detail) {
  // Compiled once: every projection reads every published run's parameters.
  static const std::regex prompt(R"(pp(\d+))"), generate(R"(tg(\d+))"), depth(R"(@ ?d(\d+))");
  Workload w;
  if (auto p = number_after(params, prompt)) w.prompt = *p;
  if (auto g = number_after(params, generate)) w.generate = *g;
  if (auto d = number_after(params, depth)) w.depth = *d;
  if (detail.contains("context_depth") && detail["context_depth"].is_number()) w.depth = detail["context_depth"].get<double>();
  return w;
}

// Single-stream figures only: an aggregate over a batch measures another thing.
bool batched(const std::string& params) {
  static const std::regex batch(R"(batch (\d+))");
  auto b = number_after(lowercase(params), batch);
  return (b && *b > 1) || lowercase(params).find("aggregate") != std::string::npos;
}

const catalog::System* find_system(const std::vector<catalog::System>& catalog, const std::string& id) {
  for (const auto& s : catalog)
    if (s.id == id) return &s;
  return nullptr;
}
}  // namespace

std::string kind_group(const std::string& kind) { return kind == "soc" ? "apu" : kind; }

std::optional<Ceilings> catalog_ceilings(const catalog::System& s, int devices) {
  const auto bw = first_claim(s, "memory_bandwidth", "GB/s");
  if (!bw) return std::nullopt;
  Ceilings c;
  c.id = s.id;
  c.name = s.name;
  c.kind = kind_group(s.kind);
  c.bandwidth_gbs = *bw;
  if (auto p = prefill_compute(s, c.kind)) c.compute_dtype = p->first, c.compute_tflops = p->second;
  c.capacity_gb = first_claim(s, "memory_capacity", "GB");
  c.devices = devices;
  if (s.price) c.price_usd = s.price->usd;
  c.watts = first_claim(s, "power", "W");
  c.basis = "catalog claims (" + s.file + ")";
  return c;
}

std::vector<PublishedRun> published_runs(const std::vector<catalog::System>& catalog) {
  std::vector<PublishedRun> runs;
  for (const auto& s : catalog)
    for (const auto& f : s.measured) {
      if ((f.what != "llm_tg" && f.what != "llm_pp") || f.unit != "tokens/s") continue;
      const std::string model = text(f.detail, "model"), quant = text(f.detail, "quant"), params = text(f.detail, "params");
      if (batched(params)) continue;
      const auto canon = canonical_model(model);
      if (!canon) continue;
      auto cost = model_cost(*canon, quant.empty() ? default_quant(*canon) : quant);
      if (!cost) continue;
      PublishedRun r;
      r.system_id = s.id;
      r.kind = kind_group(s.kind);
      r.what = f.what;
      r.cost = *cost;
      r.workload = workload_from(params, f.detail);
      r.value = f.value;
      if (f.detail.contains("gpus") && f.detail["gpus"].is_number_integer()) r.devices = f.detail["gpus"].get<int>();
      if (f.detail.contains("memory_bandwidth_gbs") && f.detail["memory_bandwidth_gbs"].is_number())
        r.bandwidth_gbs = f.detail["memory_bandwidth_gbs"].get<double>();
      r.tool = text(f.detail, "tool");
      r.llama_cpp = lowercase(r.tool).find("llama.cpp") != std::string::npos;
      r.quant_assumed = quant.empty();
      r.params = params;
      r.source = f.source;
      r.line = f.line;
      runs.push_back(std::move(r));
    }
  return runs;
}

std::optional<double> run_efficiency(const PublishedRun& run, const Ceilings& c) {
  const Workload& w = run.workload;
  if (run.what == "llm_tg")
    return run.value * run.cost.decode_bytes(w.depth + w.generate / 2) / (run.bandwidth_gbs.value_or(c.bandwidth_gbs) * 1e9);
  if (!c.compute_tflops) return std::nullopt;
  return run.value * run.cost.prompt_token_flops(w.depth + w.prompt / 2) / (*c.compute_tflops * 1e12);
}

std::optional<Efficiency> kind_efficiency(const std::vector<catalog::System>& catalog, const std::string& kind,
                                          const std::string& what, const std::string& exclude_id) {
  const auto runs = published_runs(catalog);
  const std::string stage = what == "llm_tg" ? "decode" : "prefill";
  struct Tier {
    bool same_kind, llama_cpp_only;
    std::string words;
  };
  const Tier tiers[] = {
      {true, true, fmt::format("median over llama.cpp {} runs published for other {} systems", stage, kind)},
      {true, false, fmt::format("median over {} runs (any tool) published for other {} systems", stage, kind)},
      {false, true, fmt::format("median over llama.cpp {} runs on every kind: none published for another {}", stage, kind)},
  };
  for (const auto& tier : tiers) {
    std::vector<double> fractions;
    for (const auto& r : runs) {
      if (r.what != what || r.system_id == exclude_id || (tier.same_kind && r.kind != kind) ||
          (tier.llama_cpp_only && !r.llama_cpp))
        continue;
      const auto* s = find_system(catalog, r.system_id);
      const auto c = s ? catalog_ceilings(*s, r.devices) : std::nullopt;
      if (!c) continue;
      if (auto e = run_efficiency(r, *c); e && *e > 0) fractions.push_back(*e);
    }
    if (!fractions.empty()) return Efficiency{median(fractions), static_cast<int>(fractions.size()), tier.words};
  }
  return std::nullopt;
}

Projection project(const ModelCost& cost, const Ceilings& c, const Workload& w, const std::optional<Efficiency>& decode,
                   const std::optional<Efficiency>& prefill) {
  Projection p;
  p.decode_bytes = cost.decode_bytes(w.depth + w.generate / 2);
  p.token_flops = cost.prompt_token_flops(w.depth + w.prompt / 2);
  // Layers split across devices run one device at a time: a token streams every weight once, each
  // part at its own device's bandwidth.
  p.decode_ceiling_tps = c.bandwidth_gbs * 1e9 / p.decode_bytes;
  if (decode) p.decode_tps = decode->value * p.decode_ceiling_tps;
  if (c.compute_tflops) p.prefill_ceiling_tps = *c.compute_tflops * 1e12 / p.token_flops;
  if (prefill && p.prefill_ceiling_tps) p.prefill_tps = prefill->value * *p.prefill_ceiling_tps;
  if (p.prefill_tps) p.ttft_s = w.prompt / *p.prefill_tps;
  p.needs_gb = (cost.weight_bytes + cost.kv_bytes(w.depth + w.prompt + w.generate)) / 1e9;
  if (c.capacity_gb) p.fits = p.needs_gb <= *c.capacity_gb * c.devices;
  return p;
}

std::vector<ProjectionCheck> check_projections(const std::vector<catalog::System>& catalog) {
  std::vector<ProjectionCheck> out;
  for (const auto& r : published_runs(catalog)) {
    const auto* s = find_system(catalog, r.system_id);
    auto c = catalog_ceilings(*s, r.devices);
    if (!c) continue;
    if (r.bandwidth_gbs) c->bandwidth_gbs = *r.bandwidth_gbs;
    const auto eff = kind_efficiency(catalog, c->kind, r.what, s->id);
    const auto p = r.what == "llm_tg" ? project(r.cost, *c, r.workload, eff, std::nullopt)
                                      : project(r.cost, *c, r.workload, std::nullopt, eff);
    ProjectionCheck check{r, s->name, r.what == "llm_tg" ? p.decode_tps : p.prefill_tps, std::nullopt};
    if (check.projected) check.error = *check.projected / r.value - 1;
    out.push_back(std::move(check));
  }
  return out;
}

}  // namespace specgap::analysis
