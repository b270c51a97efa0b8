#include "suites/memory/plateaus.h"

#include <cmath>

#include "core/stats.h"

namespace specgap::suites {
namespace {
struct Segment {
  size_t first, last;  // indices into the curve, inclusive
};

std::vector<Segment> segment(std::span<const CurvePoint> curve, double tolerance) {
  std::vector<Segment> segs;
  std::vector<double> values;
  const double limit = std::log1p(tolerance);
  for (size_t i = 0; i < curve.size(); ++i) {
    if (!values.empty() && std::fabs(std::log(curve[i].value / median(values))) <= limit) {
      values.push_back(curve[i].value);
      segs.back().last = i;
      continue;
    }
    segs.push_back({i, i});
    values.assign(1, curve[i].value);
  }
  return segs;
}

std::vector<double> values_of(std::span<const CurvePoint> curve, size_t first, size_t last) {
  std::vector<double> v;
  for (size_t i = first; i <= last; ++i) v.push_back(curve[i].value);
  return v;
}
}  // namespace

std::vector<Plateau> find_plateaus(std::span<const CurvePoint> curve, const std::vector<LevelCapacity>& levels,
                                   double tolerance) {
  std::vector<Segment> kept;
  for (auto& s : segment(curve, tolerance))
    if (s.last > s.first) kept.push_back(s);

  std::vector<Plateau> out;
  size_t min_level = 0;  // names move outward only
  for (size_t k = 0; k < kept.size(); ++k) {
    const auto& s = kept[k];
    std::string name;
    if (levels.empty()) {
      name = "plateau " + std::to_string(k + 1);
    } else {
      size_t level = min_level;
      while (level < levels.size() && curve[s.first].bytes > levels[level].bytes) ++level;
      name = level < levels.size() ? levels[level].name : "DRAM";
      min_level = level + 1;
    }
    if (!out.empty() && out.back().level == name) {
      // Same level again (e.g. DRAM with and without TLB misses): one plateau.
      auto& prev = out.back();
      const size_t first = kept[k - 1].first;
      prev.to_bytes = curve[s.last].bytes;
      prev.points += s.last - s.first + 1;
      auto v = values_of(curve, first, s.last);
      prev.value = median(v);
      kept[k].first = first;
      continue;
    }
    auto v = values_of(curve, s.first, s.last);
    out.push_back({name, curve[s.first].bytes, curve[s.last].bytes, median(v), s.last - s.first + 1});
  }
  return out;
}

Result plateau_result(const std::string& name, const std::string& unit, const std::string& impl, const Plateau& p) {
  Result r;
  r.suite = "memory";
  r.device = "cpu";
  r.name = name;
  r.unit = unit;
  r.impl = impl;
  r.value = p.value;
  // Only the plateau's median is a statistic here; the spread lives in its sweep points.
  r.stats = summarize(std::span<const double>{});
  r.stats.median = p.value;
  r.stats.reps = p.points;
  r.params = {{"kind", "plateau"}, {"level", p.level}, {"from_bytes", p.from_bytes},
              {"to_bytes", p.to_bytes}, {"points", p.points}};
  return r;
}

}  // namespace specgap::suites
