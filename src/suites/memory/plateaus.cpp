#include "suites/memory/plateaus.h"

#include <cmath>

#include "core/stats.h"

namespace specgap::suites {
namespace {
struct Segment {
  size_t first, last;  // indices into the curve, inclusive
};

// Points stay in a segment while they are within `tolerance` of its first point: measured against the
// anchor, not a running median, so a curve that rises slowly (latency past the TLB's reach) cannot
// creep along as one plateau.
std::vector<Segment> segment(std::span<const CurvePoint> curve, double tolerance) {
  std::vector<Segment> segs;
  const double limit = std::log1p(tolerance);
  for (size_t i = 0; i < curve.size(); ++i) {
    if (!segs.empty() && std::fabs(std::log(curve[i].value / curve[segs.back().first].value)) <= limit) {
      segs.back().last = i;
      continue;
    }
    segs.push_back({i, i});
  }
  return segs;
}

std::vector<double> values_of(std::span<const CurvePoint> curve, const Segment& s) {
  std::vector<double> v;
  for (size_t i = s.first; i <= s.last; ++i) v.push_back(curve[i].value);
  return v;
}

// The index into `levels` a segment belongs to, levels.size() meaning DRAM: the smallest level at or
// beyond `from` whose capacity holds the segment's first point.
size_t level_of(std::span<const CurvePoint> curve, const Segment& s, const std::vector<LevelCapacity>& levels,
                size_t from) {
  size_t level = from;
  while (level < levels.size() && curve[s.first].bytes > levels[level].bytes) ++level;
  return level;
}
}  // namespace

std::vector<Plateau> find_plateaus(std::span<const CurvePoint> curve, const std::vector<LevelCapacity>& levels,
                                   double tolerance) {
  // A plateau spans at least three points (an octave and a half at two points per doubling); two flat
  // points inside a gradual transition are not a level. Two points may stand at the start of the
  // curve (it starts inside L1, which can hold only a few), or where they continue the plateau
  // before them after an outlier.
  std::vector<Segment> kept;
  const double limit = std::log1p(tolerance);
  for (auto& s : segment(curve, tolerance)) {
    const size_t n = s.last - s.first + 1;
    const bool continues = !kept.empty() &&
                           std::fabs(std::log(curve[s.first].value / curve[kept.back().first].value)) <= limit;
    if (n >= 3 || (n == 2 && (s.first == 0 || continues))) kept.push_back(s);
  }

  // Name every segment; names never move inward again. A segment that would share a level with
  // the segments before it but differs from the first of them by more than kNewLevel is the next
  // level out: a cache does not halve its speed within itself (a VM can report a cache far larger
  // than the one it has, and a slow decline must not drag a level along with it).
  constexpr double kNewLevel = 2.0;
  std::vector<size_t> level(kept.size());
  double level_value = 0;  // median of the first segment of the current level
  for (size_t k = 0; k < kept.size(); ++k) {
    const double seg_median = median(values_of(curve, kept[k]));
    level[k] = level_of(curve, kept[k], levels, k ? level[k - 1] : 0);
    if (k && level[k] == level[k - 1] && level[k] < levels.size() &&
        std::fabs(std::log(seg_median / level_value)) > std::log(kNewLevel))
      level[k] += 1;
    if (!k || level[k] != level[k - 1]) level_value = seg_median;
  }
  // A last plateau that runs on to 4x the largest capacity (STREAM's "past every cache") is memory,
  // even when a cache reports a capacity so large (a VM's CPUID can) that its first point still
  // "fits": the flat curve, not the label, decides.
  if (kept.size() > 1 && !levels.empty() && curve[kept.back().last].bytes >= 4 * levels.back().bytes)
    level.back() = levels.size();

  std::vector<Plateau> out;
  std::vector<std::vector<double>> values;
  for (size_t k = 0; k < kept.size(); ++k) {
    const auto& s = kept[k];
    std::string name = levels.empty()            ? "plateau " + std::to_string(k + 1)
                       : level[k] < levels.size() ? levels[level[k]].name
                                                  : "DRAM";
    auto v = values_of(curve, s);
    if (!out.empty() && out.back().level == name) {
      // The same level again after a dip or a spike: one plateau, its points only (not the outlier).
      values.back().insert(values.back().end(), v.begin(), v.end());
      out.back().to_bytes = curve[s.last].bytes;
      out.back().points = values.back().size();
      out.back().value = median(values.back());
      continue;
    }
    out.push_back({name, curve[s.first].bytes, curve[s.last].bytes, median(v), v.size()});
    values.push_back(std::move(v));
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
