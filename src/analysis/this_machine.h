#pragma once
// This machine's ceilings and LLM efficiency, read off measured results (never off a spec sheet):
// the best DRAM bandwidth a memory kernel delivered, the best compute per dtype (peak kernel or
// GEMM), and each LLM figure with what it cost per token, so projections and the roofline for this
// machine stand on what it did.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/model_cost.h"
#include "analysis/predict.h"
#include "core/result.h"

namespace specgap::analysis {

struct MeasuredFigure {
  double value = 0;
  std::string how;  // "triad avx2-nt", "gemm onednn 4096x4096x4096"
};

struct LlmFigure {
  std::string name;  // pp512, tg128
  double tps = 0;
  size_t reps = 0;
  ModelCost cost;
  Workload workload;
  // A decode run's own: bytes it read per token, the read bandwidth measured between its repetitions,
  // and the share of it decode used (paired repetition by repetition, as the LLM table shows it).
  std::optional<double> bytes_per_token, read_gbs, read_fraction;
};

struct MachineFigures {
  std::string device = "cpu";                               // whose figures these are
  std::optional<MeasuredFigure> bandwidth_gbs;              // from DRAM-sized arrays (dram_sized)
  std::string no_bandwidth;                                 // when absent, why, in a sentence
  std::map<std::string, MeasuredFigure> compute_gflops;     // per dtype, the best of peak and GEMM
  std::map<std::string, MeasuredFigure> gemm_gflops;        // per dtype, GEMM only
  // A GPU's figures for a dtype its matrix cores serve (fp16, bf16, fp8, int8, ...) that came from its
  // vector units alone: kept apart, never a ceiling or a claim's delivered figure (the claim is the
  // matrix cores'). fp32 and fp64 run on the vector units and count as measured.
  std::map<std::string, MeasuredFigure> vector_only_gflops;
  std::vector<LlmFigure> llm;                               // whose model specgap knows the shape of
  std::optional<double> memory_gb;                          // installed memory
  std::string cpu_name;
};

// The last-level cache of a machine record: every instance of its outermost level that holds data;
// nullopt when the record names no cache.
std::optional<uint64_t> last_level_cache_bytes(const nlohmann::json& machine);

// Whether a sustained-bandwidth result measured DRAM: arrays of at least 4x the last-level cache, as
// STREAM sizes them (smaller ones stay partly in cache). Where the record names no cache, the memory
// suite's own default for that case, 1 GiB. A GPU's result (device other than "cpu"): 512 MiB, 4x the
// largest GPU last-level cache.
bool dram_sized(const Result& r, const nlohmann::json& machine);

// The figures of one device's results ("cpu", "gpu0", ...): no device's ceiling stands on another's.
MachineFigures machine_figures(const std::vector<Result>& results, const nlohmann::json& machine,
                               const std::string& device = "cpu");

// The ceilings of this machine for a projection: measured bandwidth, the best fp32 GEMM, installed
// memory. nullopt without a bandwidth figure.
std::optional<Ceilings> measured_ceilings(const MachineFigures& f);

// The fraction of this machine's ceiling its own LLM runs reached (median over its tg or pp results);
// nullopt when it ran none.
std::optional<Efficiency> measured_efficiency(const MachineFigures& f, const std::string& what);

// This machine's efficiency: its own LLM runs' when it ran any, else what published runs on other
// CPUs reached (kind_efficiency), so a projection here always says which it stands on.
std::optional<Efficiency> efficiency_here(const MachineFigures& f, const std::vector<catalog::System>& catalog,
                                          const std::string& what);

}  // namespace specgap::analysis
