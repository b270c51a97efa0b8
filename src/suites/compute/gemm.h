#pragma once
// Achievable GEMM rate per dtype, the way mamf-finder searches for it: every library we link (and
// OpenBLAS once more in a child without OPENBLAS_CORETYPE, when the environment caps it) on a sweep
// of shapes, each checked, then timed in repetitions interleaved across libraries. The best
// (library, shape) by median is the figure; the whole curve stays in `variants`.
#include <string>
#include <vector>

#include "backends/cpu/gemm.h"
#include "core/dtype.h"
#include "core/result.h"
#include "core/sink.h"

namespace specgap::suites {

struct GemmConfig {
  std::vector<Dtype> dtypes;            // empty: fp64 fp32 bf16 fp16 int8
  std::vector<cpu::GemmShape> shapes;   // empty: default_gemm_shapes()
  std::vector<std::string> libraries;   // empty: all
  int threads = 1;
  int reps = 5;
  double rep_seconds = 0.2;             // small shapes repeat the call to last about this long
  int check_samples = 64;
  std::string worker_exe;               // the specgap binary, for the child runs; "" for none
  uint64_t seed = 1;
};

// Square 1024..8192 and the prefill shapes of a Llama-3-8B layer at 512 tokens (m = tokens).
std::vector<cpu::GemmShape> default_gemm_shapes();

std::vector<Result> measure_gemm(const GemmConfig& config, RunSink& sink);

// The variable that caps OpenBLAS's kernel choice at load time, and that its child run removes.
inline constexpr const char* kOpenblasCap = "OPENBLAS_CORETYPE";

}  // namespace specgap::suites
