#pragma once
// What a soak keeps the machine busy with: whole units of real work (a GEMM call, a triad pass, a
// decode step), counted, so every interval yields a delivered rate. Each workload checks its own
// output before the soak and again after it, so a machine that starts computing wrong answers when
// hot is caught, not timed.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "backends/device.h"
#include "core/ggml_type.h"

namespace specgap::suites {

class SoakWorkload {
 public:
  virtual ~SoakWorkload() = default;
  virtual std::string name() const = 0;  // the series: "gemm", "triad", "decode"
  virtual std::string unit() const = 0;  // GFLOP/s, GB/s, tokens/s
  virtual std::string impl() const = 0;  // what runs: "onednn fp32 2048^3 (brg:avx2)", "avx2-nt"
  // "" when the output is right, else one line saying what is wrong.
  virtual std::string check() = 0;
  // Runs whole units for about `seconds` (polling Ctrl-C between units). Returns the work done in the
  // rate's unit times seconds (GFLOP, GB, tokens), and sets `elapsed` to the seconds it took.
  virtual double run_for(double seconds, double& elapsed) = 0;
};

struct SoakWorkloadConfig {
  std::vector<int> cpus;        // one pinned thread per entry
  uint64_t array_bytes = 0;     // memory: bytes per STREAM array
  int64_t gemm_size = 2048;     // gemm: m = n = k
  std::string preset = "llama-3.2-1b";
  GgmlType quant = GgmlType::q4_0;
  uint64_t seed = 1;
};

// fp32 GEMM of gemm_size^3 on a device: the first kernel it offers that passes its check (the CPU:
// oneDNN, else OpenBLAS).
std::unique_ptr<SoakWorkload> gemm_workload(backends::Device& device, const SoakWorkloadConfig& c);
// STREAM triad passes on `device` with the variant that was fastest in a short trial of all of them.
std::unique_ptr<SoakWorkload> memory_workload(backends::Device& device, const SoakWorkloadConfig& c);
// Single-token decode steps of the LLM engine on a preset, the cache cleared every 512 positions.
std::unique_ptr<SoakWorkload> llm_workload(const SoakWorkloadConfig& c);

}  // namespace specgap::suites
