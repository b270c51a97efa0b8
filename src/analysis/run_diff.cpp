#include "analysis/run_diff.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

namespace specgap::analysis {
namespace {

std::string param(const Result& r, const char* key) {
  if (!r.params.contains(key)) return "";
  const auto& v = r.params[key];
  return v.is_string() ? v.get<std::string>() : v.dump();
}

bool measured(const std::optional<Result>& r) {
  return r && r->check == kCheckPassed && std::isfinite(r->value) && r->value != 0;
}
}  // namespace

std::string figure_key(const Result& r) {
  std::string k = r.suite + " " + r.name;
  if (r.dtype) k += " " + *r.dtype;
  if (r.device != "cpu" && !r.device.empty()) k += " on " + r.device;
  if (r.suite == "compute" && r.name == "gemm") k += fmt::format(" {}x{}x{}", param(r, "m"), param(r, "n"), param(r, "k"));
  if (r.suite == "llm") {
    k += " " + param(r, "model_name") + " " + param(r, "quant");
    if (const auto d = param(r, "depth"); !d.empty() && d != "0") k += " @ d" + d;
  }
  if (r.suite == "memory") {
    if (const auto kind = param(r, "kind"); !kind.empty()) k += " " + kind;
    for (const char* p : {"level", "working_set_bytes"})
      if (const auto v = param(r, p); !v.empty()) k += " " + v;
  }
  if (const auto t = param(r, "threads"); !t.empty()) k += " " + t + " threads";
  return k;
}

std::vector<FigureChange> diff_runs(const RunRecord& a, const RunRecord& b) {
  std::map<std::string, FigureChange> by_key;
  std::vector<std::string> order;
  auto add = [&](const Result& r, bool first) {
    const std::string key = figure_key(r);
    auto [it, fresh] = by_key.try_emplace(key);
    if (fresh) order.push_back(key);
    FigureChange& c = it->second;
    c.figure = key;
    c.unit = r.unit;
    (first ? c.a : c.b) = r;
  };
  for (const auto& r : a.results) add(r, true);
  for (const auto& r : b.results) add(r, false);
  std::vector<FigureChange> out;
  for (const auto& key : order) {
    FigureChange c = by_key[key];
    c.lower_is_better = c.unit == "ns" || c.unit == "s" || c.unit == "ms";
    if (!c.a || !c.b) {
      c.verdict = c.a ? "only in A" : "only in B";
    } else if (!measured(c.a) || !measured(c.b) || c.a->unit != c.b->unit) {
      c.verdict = "not comparable";
    } else {
      c.change = c.b->value / c.a->value - 1;
      if (c.a->stats.reps < kMinJudgedReps || c.b->stats.reps < kMinJudgedReps) {
        c.verdict = "not judged";
        c.why = fmt::format("fewer than {} repetitions (A {}, B {}): too few to tell a change from noise",
                            kMinJudgedReps, c.a->stats.reps, c.b->stats.reps);
        out.push_back(std::move(c));
        continue;
      }
      const double cv = std::max(std::isfinite(c.a->stats.cv) ? c.a->stats.cv : 0.0,
                                 std::isfinite(c.b->stats.cv) ? c.b->stats.cv : 0.0);
      c.noise = 2 * cv;
      // Overlapping [min, max] ranges: some repetition of each run reached the other's figures.
      const bool overlap = c.a->stats.reps > 0 && c.b->stats.reps > 0 && c.a->stats.min <= c.b->stats.max &&
                           c.b->stats.min <= c.a->stats.max;
      if (std::fabs(c.change) <= c.noise || overlap)
        c.verdict = "same (within noise)";
      else
        c.verdict = c.change > 0 ? "higher" : "lower";
    }
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace specgap::analysis
