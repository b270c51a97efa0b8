#include "analysis/roofline.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace specgap::analysis {
namespace {

// A memory roof: GB/s and what measured it.
struct MemoryRoof {
  double gbs;
  std::string how;
};

// `memory_fraction`: the share of the memory roof the workload's own run measured, used when it is
// memory-bound instead of the one its averaged figures imply.
std::optional<RooflinePoint> place(std::string name, double intensity, double gflops, const std::string& dtype,
                                   const Roofline& r, const MemoryRoof& memory,
                                   std::optional<double> memory_fraction = std::nullopt) {
  auto it = std::find_if(r.ceilings.begin(), r.ceilings.end(), [&](auto& c) { return c.first == dtype; });
  if (it == r.ceilings.end() || !(intensity > 0) || !(gflops > 0)) return std::nullopt;
  RooflinePoint p{std::move(name), intensity, gflops, dtype, it->second.value / memory.gbs, "", 0, memory.gbs, memory.how};
  p.bound = intensity < p.ridge ? "memory" : "compute";
  p.fraction = p.bound == "memory" && memory_fraction ? *memory_fraction
                                                      : gflops / std::min(memory.gbs * intensity, it->second.value);
  return p;
}

double element_bytes(const std::string& dtype) {
  if (dtype == "fp64") return 8;
  if (dtype == "fp32" || dtype == "tf32") return 4;
  if (dtype == "int8" || dtype == "fp8") return 1;
  return 2;
}

// The rate an LLM's matrices run at: quantised weights (Q4_0, Q8_0, the K-quants) are multiplied as
// integers against 8-bit activations, as llama.cpp's CPU backend and specgap's engine do, so their
// ceiling is the int8 one; float weights are multiplied in fp32. A ceiling not measured falls back to fp32.
std::string llm_ceiling(const Roofline& r, const std::string& quant) {
  // The CPU multiplies quantised weights (Q*, K-quants, MXFP4) against 8-bit activations as integers.
  const bool integer = quant.rfind("q", 0) == 0 || quant.rfind("mxfp4", 0) == 0;
  for (const char* want : {integer ? "int8" : "fp32", "fp32"})
    for (const auto& c : r.ceilings)
      if (c.first == want) return want;
  return r.ceilings.empty() ? "" : r.ceilings.front().first;
}
}  // namespace

std::optional<Roofline> roofline(const MachineFigures& f, const std::vector<Result>& results) {
  if (!f.bandwidth_gbs) return std::nullopt;
  Roofline r;
  r.bandwidth_gbs = f.bandwidth_gbs->value;
  r.bandwidth_how = f.bandwidth_gbs->how;
  const MemoryRoof best{r.bandwidth_gbs, "the best memory figure, " + r.bandwidth_how};
  for (const auto& [dtype, fig] : f.compute_gflops) r.ceilings.push_back({dtype, fig});
  for (const auto& l : f.llm) {
    const std::string llm_dtype = llm_ceiling(r, l.cost.quant);
    const auto& w = l.workload;
    const bool decode = l.name.rfind("tg", 0) == 0;
    const std::string name = fmt::format("{} {} {}", l.name, l.cost.model, l.cost.quant);
    if (decode) {
      // Each token reads the active weights and the cache once and does its FLOPs on them.
      const double ctx = w.depth + w.generate / 2;
      const double flops = l.cost.token_flops(ctx);
      const double bytes = l.bytes_per_token.value_or(l.cost.decode_bytes(ctx));
      const bool own = l.read_gbs && l.read_fraction;
      const MemoryRoof roof = own ? MemoryRoof{*l.read_gbs, "the read bandwidth measured in the same run"} : best;
      if (auto p = place(name, flops / bytes, l.tps * flops / 1e9, llm_dtype, r, roof, own ? l.read_fraction : std::nullopt))
        r.points.push_back(*p);
    } else {
      // A prompt is multiplied in one pass over the weights: prompt tokens' FLOPs per weight byte.
      const double ctx = w.depth + w.prompt / 2;
      const double flops = l.cost.prompt_token_flops(ctx);
      const double bytes = l.cost.decode_weight_bytes + l.cost.kv_bytes(w.depth + w.prompt);
      if (auto p = place(name, w.prompt * flops / bytes, l.tps * flops / 1e9, llm_dtype, r, best)) r.points.push_back(*p);
    }
  }
  for (const auto& res : results) {
    if (res.device != f.device || res.suite != "compute" || res.name != "gemm" || !res.dtype ||
        res.check != kCheckPassed)
      continue;
    const double m = res.params.value("m", 0.0), n = res.params.value("n", 0.0), k = res.params.value("k", 0.0);
    const double elem = element_bytes(*res.dtype);
    if (!(m > 0 && n > 0 && k > 0)) continue;
    // Compulsory traffic: A and B read once, C written once (what any blocking must at least move).
    const double bytes = elem * (m * k + k * n) + 4 * m * n;
    const double giga = res.unit[0] == 'T' ? res.value * 1e3 : res.value;
    if (auto p = place(fmt::format("gemm {} {:.0f}x{:.0f}x{:.0f}", *res.dtype, m, n, k), 2 * m * n * k / bytes, giga,
                       *res.dtype, r, best))
      r.points.push_back(*p);
  }
  return r;
}

nlohmann::json to_json(const Roofline& r) {
  nlohmann::json ceilings = nlohmann::json::array(), points = nlohmann::json::array();
  for (const auto& [dtype, c] : r.ceilings) ceilings.push_back({{"dtype", dtype}, {"gflops", c.value}, {"how", c.how}});
  for (const auto& p : r.points)
    points.push_back({{"name", p.name}, {"intensity", p.intensity}, {"gflops", p.gflops}, {"ceiling_dtype", p.ceiling_dtype},
                      {"ridge", p.ridge}, {"bound", p.bound}, {"fraction", p.fraction},
                      {"bandwidth_gbs", p.bandwidth_gbs}, {"bandwidth_how", p.bandwidth_how}});
  return {{"bandwidth_gbs", r.bandwidth_gbs}, {"bandwidth_how", r.bandwidth_how}, {"ceilings", ceilings}, {"points", points}};
}

}  // namespace specgap::analysis
