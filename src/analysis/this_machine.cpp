#include "analysis/this_machine.h"

#include <fmt/format.h>

#include <cmath>

#include "core/stats.h"
#include "core/units.h"
#include "probe/machine.h"

namespace specgap::analysis {
namespace {

// GFLOP/s (or GOP/s) from a compute result's unit; nullopt for a unit that is not a rate of operations.
std::optional<double> to_giga(double value, const std::string& unit) {
  if (unit.size() < 2 || unit.find("/s") == std::string::npos) return std::nullopt;
  if (unit[0] == 'T') return value * 1e3;
  if (unit[0] == 'G') return value;
  if (unit[0] == 'P') return value * 1e6;
  return std::nullopt;
}

bool usable(const Result& r) { return r.check == kCheckPassed && std::isfinite(r.value) && r.value > 0; }

void keep_best(std::map<std::string, MeasuredFigure>& best, const std::string& key, double value, std::string how) {
  auto it = best.find(key);
  if (it == best.end() || value > it->second.value) best[key] = {value, std::move(how)};
}

std::optional<Workload> llm_workload(const Result& r) {
  const double depth = r.params.value("depth", 0.0);
  try {
    if (r.name.rfind("pp", 0) == 0) return Workload{std::stod(r.name.substr(2)), 0, depth};
    if (r.name.rfind("tg", 0) == 0) return Workload{0, std::stod(r.name.substr(2)), depth};
  } catch (const std::exception&) {
  }
  return std::nullopt;
}
// Arrays of at least this many bytes count as DRAM when the machine record names no cache: what the
// memory suite itself chooses then.
constexpr uint64_t kUnknownCacheArrayBytes = uint64_t(1) << 30;

// A GPU names no last-level cache through Vulkan, so its arrays count as DRAM from 4x the largest
// GPU last-level cache there is (RDNA 2's 128 MB Infinity Cache; an H100's L2 is 50 MB).
constexpr uint64_t kGpuDramArrayBytes = uint64_t(512) << 20;

uint64_t dram_array_bytes(const nlohmann::json& machine, const std::string& device) {
  if (device != "cpu") return kGpuDramArrayBytes;
  const auto llc = last_level_cache_bytes(machine);
  return llc ? 4 * *llc : kUnknownCacheArrayBytes;
}

// Why no result of `results` is DRAM bandwidth, for a reader who asked for it.
std::string why_no_bandwidth(const std::vector<Result>& results, const nlohmann::json& machine, const std::string& device) {
  uint64_t largest = 0;
  for (const auto& r : results)
    if (r.device == device && r.suite == "memory" && r.params.contains("array_bytes") && r.params["array_bytes"].is_number())
      largest = std::max(largest, r.params["array_bytes"].get<uint64_t>());
  if (largest == 0) return "no DRAM bandwidth was measured in this run";
  if (device != "cpu")
    return fmt::format("no DRAM bandwidth was measured in this run: {}'s largest arrays ({}) are under {} (4x the "
                       "largest GPU last-level cache), so they may have measured a cache",
                       device, format_bytes(largest), format_bytes(kGpuDramArrayBytes));
  const auto llc = last_level_cache_bytes(machine);
  return fmt::format("no DRAM bandwidth was measured in this run: its largest arrays ({}) are under {}, so they "
                     "measured a cache; specgap memory without --size measures DRAM",
                     format_bytes(largest),
                     llc ? fmt::format("4x the last-level cache ({})", format_bytes(*llc))
                         : fmt::format("{} (the machine record names no cache to size them by)",
                                       format_bytes(kUnknownCacheArrayBytes)));
}
}  // namespace

std::optional<uint64_t> last_level_cache_bytes(const nlohmann::json& machine) {
  if (!machine.contains("cpu") || !machine["cpu"].is_object() || !machine["cpu"].contains("caches")) return std::nullopt;
  CpuInfo cpu;
  cpu.caches = caches_from_json(machine["cpu"]["caches"]);
  const uint64_t bytes = specgap::last_level_cache_bytes(cpu);
  return bytes > 0 ? std::optional(bytes) : std::nullopt;
}

bool dram_sized(const Result& r, const nlohmann::json& machine) {
  if (r.suite != "memory" || r.unit != "GB/s" || !r.params.contains("array_bytes") || !r.params["array_bytes"].is_number())
    return false;
  return r.params["array_bytes"].get<double>() >= double(dram_array_bytes(machine, r.device));
}

MachineFigures machine_figures(const std::vector<Result>& results, const nlohmann::json& machine,
                               const std::string& device) {
  MachineFigures f;
  f.device = device;
  for (const auto& r : results) {
    if (!usable(r) || r.device != device) continue;
    if (r.suite == "memory" && r.unit == "GB/s" && r.params.contains("array_bytes")) {
      if (!dram_sized(r, machine)) continue;
      if (!f.bandwidth_gbs || r.value > f.bandwidth_gbs->value)
        f.bandwidth_gbs = MeasuredFigure{r.value, fmt::format("{} {} over {} MB arrays, {} threads", r.name, r.impl,
                                                              r.params.value("array_bytes", 0LL) / 1000000,
                                                              r.params.value("threads", 0))};
    } else if (r.suite == "compute" && r.dtype) {
      const auto g = to_giga(r.value, r.unit);
      if (!g) continue;
      std::string how = r.name + " " + r.impl;
      const bool matrix_dtype = *r.dtype != "fp32" && *r.dtype != "fp64";
      if (device != "cpu" && matrix_dtype && r.params.value("matrix_units", false) != true) {
        keep_best(f.vector_only_gflops, *r.dtype, *g, how);
        continue;
      }
      if (r.name == "gemm") {
        how += fmt::format(" {}x{}x{}", r.params.value("m", 0), r.params.value("n", 0), r.params.value("k", 0));
        keep_best(f.gemm_gflops, *r.dtype, *g, how);
      }
      keep_best(f.compute_gflops, *r.dtype, *g, how);
    } else if (r.suite == "llm" && r.unit == "tokens/s") {
      const auto w = llm_workload(r);
      const auto cost = model_cost(r.params.value("model_name", ""), r.params.value("quant", ""));
      if (!w || !cost) continue;
      const auto param = [&r](const char* key) {
        const auto it = r.params.find(key);
        return it != r.params.end() && it->is_number() && std::isfinite(it->get<double>()) && it->get<double>() > 0
                   ? std::optional(it->get<double>())
                   : std::nullopt;
      };
      f.llm.push_back({r.name, r.value, r.stats.reps, *cost, *w, param("bytes_per_token"), param("read_bandwidth_gbps"),
                       param("fraction_of_read_bandwidth")});
    }
  }
  if (!f.bandwidth_gbs) f.no_bandwidth = why_no_bandwidth(results, machine, device);
  if (machine.contains("memory") && machine["memory"].contains("total_bytes"))
    f.memory_gb = machine["memory"]["total_bytes"].get<double>() / 1e9;
  if (machine.contains("cpu")) f.cpu_name = machine["cpu"].value("model_name", "");
  return f;
}

std::optional<Ceilings> measured_ceilings(const MachineFigures& f) {
  if (!f.bandwidth_gbs) return std::nullopt;
  Ceilings c;
  c.id = "this-machine";
  c.name = f.cpu_name.empty() ? "this machine" : f.cpu_name;
  c.kind = "cpu";
  c.bandwidth_gbs = f.bandwidth_gbs->value;
  if (auto it = f.gemm_gflops.find("fp32"); it != f.gemm_gflops.end()) {
    c.compute_tflops = it->second.value / 1e3;
    c.compute_dtype = "fp32";
  }
  c.capacity_gb = f.memory_gb;
  c.basis = "measured here: bandwidth " + f.bandwidth_gbs->how +
            (c.compute_tflops ? "; compute " + f.gemm_gflops.at("fp32").how : "");
  return c;
}

std::optional<Efficiency> measured_efficiency(const MachineFigures& f, const std::string& what) {
  const auto c = measured_ceilings(f);
  if (!c) return std::nullopt;
  std::vector<double> fractions;
  std::string models;
  for (const auto& l : f.llm) {
    const bool decode = l.name.rfind("tg", 0) == 0;
    if (decode != (what == "llm_tg")) continue;
    const Workload& w = l.workload;
    if (decode) {
      fractions.push_back(l.tps * l.cost.decode_bytes(w.depth + w.generate / 2) / (c->bandwidth_gbs * 1e9));
    } else if (c->compute_tflops) {
      fractions.push_back(l.tps * l.cost.prompt_token_flops(w.depth + w.prompt / 2) / (*c->compute_tflops * 1e12));
    }
    models += (models.empty() ? "" : ", ") + l.name + " " + l.cost.model + " " + l.cost.quant;
  }
  if (fractions.empty()) return std::nullopt;
  return Efficiency{median(fractions), static_cast<int>(fractions.size()),
                    "measured on this machine (" + models + ") against its measured ceiling"};
}

std::optional<Efficiency> efficiency_here(const MachineFigures& f, const std::vector<catalog::System>& catalog,
                                          const std::string& what) {
  if (auto own = measured_efficiency(f, what)) return own;
  return kind_efficiency(catalog, "cpu", what, "");
}

}  // namespace specgap::analysis
