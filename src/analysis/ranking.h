#pragma once
// This machine beside the catalog's systems for one model: decode and prefill tokens/s, and both per
// dollar and per watt. Catalog systems get projections (predict.h); this machine gets its own
// measured figure when it ran that model, else a projection from its measured ceilings. Every row
// says which it is.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "analysis/predict.h"
#include "analysis/this_machine.h"
#include "catalog/catalog.h"

namespace specgap::analysis {

struct RankRow {
  std::string id, name, kind;
  bool this_machine = false;
  std::optional<double> decode_tps, prefill_tps;
  std::string source;                 // measured, projection
  std::string test;                   // this machine's own runs: "tg16, pp64 (1 repetition)"; a projection's
                                      // measured prefill: "prefill measured: pp64 (1 repetition)"
  std::optional<double> published_decode_tps;  // a llama.cpp figure for exactly this model and quant
  std::optional<double> price_usd, watts;
  std::optional<bool> fits;
  std::optional<double> decode_per_kusd() const;  // tokens/s per $1000
  std::optional<double> decode_per_watt() const;  // tokens/s per W: tokens per joule
};

struct Ranking {
  std::string model, quant;
  Workload workload;
  std::vector<RankRow> rows;  // fitting systems first, by decode tokens/s; then the rest
};

struct ThisMachine {
  const MachineFigures* figures = nullptr;  // null: rank the catalog alone
  std::optional<double> price_usd, watts;   // what the user says it cost and draws
};

// nullopt when the model or quant is unknown.
std::optional<Ranking> rank_systems(const std::vector<catalog::System>& catalog, const ThisMachine& here,
                                    const std::string& model, const std::string& quant, const Workload& w = {});

nlohmann::json to_json(const Ranking& r);

// The hardware beside the same systems: memory bandwidth and dense compute per dtype (claims for the
// catalog, sparse claims halved; measurements for this machine), with bandwidth per dollar and per
// watt. Sorted by bandwidth, the figure decode follows.
struct HardwareRow {
  std::string id, name, kind;
  bool this_machine = false;
  std::optional<double> bandwidth_gbs;
  std::map<std::string, double> tflops;  // dtype -> dense TFLOP/s (TOP/s for int8)
  std::optional<double> price_usd, watts;
};
std::vector<HardwareRow> hardware_ranking(const std::vector<catalog::System>& catalog, const ThisMachine& here);
nlohmann::json to_json(const std::vector<HardwareRow>& rows);

}  // namespace specgap::analysis
