#pragma once
// The roofline of this machine from its own measurements: the memory bandwidth slope and a flat
// compute ceiling per dtype, and where each LLM stage and GEMM it ran sits under them. A point left
// of the ridge (FLOPs per byte below compute / bandwidth) is bandwidth-bound; right of it, compute-bound.
// Decode only reads, and its run measured read bandwidth between its repetitions: that is its memory
// roof, so its share of the roof is the fraction the LLM table gives, not one of the best STREAM op.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/this_machine.h"

namespace specgap::analysis {

struct RooflinePoint {
  std::string name;           // "tg128 llama-3.2-1b q4_0", "gemm fp32 4096x4096x4096"
  double intensity = 0;       // FLOP per byte moved from memory
  double gflops = 0;          // achieved
  std::string ceiling_dtype;  // the compute ceiling it is held to
  double ridge = 0;           // that ceiling's ridge point, FLOP per byte
  std::string bound;          // memory or compute
  double fraction = 0;        // achieved / the roof at its intensity
  double bandwidth_gbs = 0;   // its memory roof: decode's is the read bandwidth measured in its own run
  std::string bandwidth_how;
};

struct Roofline {
  double bandwidth_gbs = 0;
  std::string bandwidth_how;
  std::vector<std::pair<std::string, MeasuredFigure>> ceilings;  // dtype, GFLOP/s
  std::vector<RooflinePoint> points;
};

// nullopt without a measured bandwidth.
std::optional<Roofline> roofline(const MachineFigures& f, const std::vector<Result>& results);
nlohmann::json to_json(const Roofline& r);

}  // namespace specgap::analysis
