#pragma once
// Finds the plateaus of a bandwidth or latency curve over working-set sizes and names them after the
// cache level they sit in. Pure functions: the curve and the cache capacities in, plateaus out.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/result.h"

namespace specgap::suites {

struct CurvePoint {
  uint64_t bytes;  // working set
  double value;    // GB/s or ns
};

// A capacity in working-set bytes: a private level counts once per thread used, a shared one once.
struct LevelCapacity {
  std::string name;  // L1, L2, L3
  uint64_t bytes;
};

struct Plateau {
  std::string level;     // L1, L2, L3, DRAM, or "plateau N" when capacities are unknown
  uint64_t from_bytes;   // first and last working set of the plateau
  uint64_t to_bytes;
  double value;          // median over its points
  size_t points;
};

// Consecutive points within `tolerance` (relative, e.g. 0.15) of the plateau's first point form
// one plateau if they are at least three (two at the start of the curve, or continuing the plateau
// before them after an outlier); fewer are transitions. Each plateau is named by
// the smallest level whose capacity holds its first point, never a level inside its predecessor's;
// a plateau past the last capacity is DRAM, and so is a last plateau that runs on to 4x it. Neighbours
// that get the same name are one plateau (its points only, not the outlier that split them), unless
// they differ by more than 2x: then the outer one is the next level out.
std::vector<Plateau> find_plateaus(std::span<const CurvePoint> curve, const std::vector<LevelCapacity>& levels,
                                   double tolerance = 0.15);

// A plateau as a memory result (params.kind = "plateau").
Result plateau_result(const std::string& name, const std::string& unit, const std::string& impl, const Plateau& p);

}  // namespace specgap::suites
