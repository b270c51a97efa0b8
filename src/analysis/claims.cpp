#include "analysis/claims.h"

#include <fmt/format.h>

#include <cmath>
#include <map>
#include <utility>

namespace specgap::analysis {
namespace {

// A unit as (SI multiplier, base quantity): "TFLOP/s" is (1e12, "FLOP/s").
struct ParsedUnit {
  double scale;
  std::string base;
};

std::optional<ParsedUnit> parse_unit(const std::string& unit) {
  static const std::map<char, double> prefixes = {{'k', 1e3}, {'M', 1e6}, {'G', 1e9}, {'T', 1e12}, {'P', 1e15}};
  for (const char* base : {"FLOP/s", "OP/s", "B/s"}) {
    const std::string b = base;
    if (unit == b) return ParsedUnit{1, b};
    if (unit.size() == b.size() + 1 && unit.compare(1, std::string::npos, b) == 0 && prefixes.count(unit[0]))
      return ParsedUnit{prefixes.at(unit[0]), b};
  }
  return std::nullopt;
}

bool positive(double x) { return std::isfinite(x) && x > 0; }

}  // namespace

std::optional<double> unit_factor(const std::string& from, const std::string& to) {
  const auto f = parse_unit(from), t = parse_unit(to);
  if (!f || !t || f->base != t->base) return std::nullopt;
  return f->scale / t->scale;
}

std::optional<Verdict> claim_vs_delivered(const Claim& claim, const Delivered& delivered) {
  const auto factor = unit_factor(delivered.unit, claim.unit);
  if (!factor || !positive(claim.value) || !positive(delivered.value)) return std::nullopt;
  Verdict v;
  v.what = claim.what;
  v.dtype = claim.dtype;
  v.unit = claim.unit;
  v.claimed = claim.sparse ? claim.value / 2 : claim.value;
  v.delivered = delivered.value * *factor;
  v.ratio = v.delivered / v.claimed;
  v.claim_source = claim.source;
  if (claim.sparse)
    v.note = fmt::format("claim counts 2:4 sparsity ({:g} {}); held against its dense half", claim.value, claim.unit);
  if (!delivered.how.empty()) v.note += (v.note.empty() ? "" : "; ") + std::string("delivered by ") + delivered.how;
  return v;
}

nlohmann::json to_json(const Verdict& v) {
  return {{"what", v.what},
          {"device", v.device},
          {"dtype", v.dtype ? nlohmann::json(*v.dtype) : nlohmann::json(nullptr)},
          {"claimed", v.claimed},
          {"delivered", v.delivered},
          {"unit", v.unit},
          {"ratio", v.ratio},
          {"claim_source", v.claim_source},
          {"note", v.note}};
}

std::vector<Verdict> theoretical_peak_verdicts(const std::vector<Result>& results) {
  // The peak result of each device and dtype carries that device's theoretical peak at the clock it
  // measured; a device's figures are held against its own peak only (the CPU's and a GPU's differ).
  std::map<std::pair<std::string, std::string>, const Result*> peaks;
  for (const auto& r : results)
    if (r.suite == "compute" && r.name == "peak" && r.dtype && r.params.contains("theoretical_peak") &&
        r.params["theoretical_peak"].is_object())
      peaks[{r.device, *r.dtype}] = &r;
  std::vector<Verdict> out;
  for (const auto& r : results) {
    if (r.suite != "compute" || !r.dtype || r.check != kCheckPassed) continue;
    const auto found = peaks.find({r.device, *r.dtype});
    if (found == peaks.end()) continue;
    const auto& peak = found->second->params["theoretical_peak"];
    Claim claim{"compute " + r.name, r.dtype, peak.value("value", 0.0), r.unit, false,
                fmt::format("theoretical peak at the measured clock: {} ({}, {})", peak.value("formula", ""),
                            peak.value("source", ""), peak.value("confidence", ""))};
    std::string how = r.name + " " + r.impl;
    if (r.name == "gemm")
      how += fmt::format(" {}x{}x{}", r.params.value("m", 0), r.params.value("n", 0), r.params.value("k", 0));
    if (auto v = claim_vs_delivered(claim, {r.value, r.unit, how})) {
      v->device = r.device;
      out.push_back(*v);
    }
  }
  return out;
}

}  // namespace specgap::analysis
