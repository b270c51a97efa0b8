#pragma once
// Achievable GEMM rate per dtype on any device, the way mamf-finder searches for it: every kernel the
// device offers for the dtype (the CPU: each library it links, and OpenBLAS once more in a child
// without OPENBLAS_CORETYPE when the environment caps it; a GPU: its shaders) on a sweep of shapes,
// each checked, then timed through the harness, each kernel's repetitions back to back. The best
// (kernel, shape) by median is the figure; the whole curve stays in `variants`.
#include <string>
#include <vector>

#include "backends/device.h"
#include "core/dtype.h"
#include "core/result.h"
#include "core/sink.h"

namespace specgap::suites {

struct GemmShape {  // C[m x n] = A[m x k] * B[k x n]
  int m = 0, n = 0, k = 0;
};

struct GemmConfig {
  std::vector<Dtype> dtypes;            // empty: fp64 fp32 bf16 fp16 int8
  std::vector<GemmShape> shapes;        // empty: default_gemm_shapes(), as far as the device's buffers allow
  std::vector<std::string> libraries;   // empty: all
  int threads = 1;                      // host threads (the CPU's libraries)
  int reps = 5;
  double rep_seconds = 0.2;             // small shapes repeat the call to last about this long
  int check_samples = 64;
  std::string worker_exe;               // the specgap binary, for the child runs; "" for none
  uint64_t seed = 1;
};

// Square 1024..8192 and the prefill shapes of a Llama-3-8B layer at 512 tokens (m = tokens).
std::vector<GemmShape> default_gemm_shapes();

// The shapes of `shapes` whose fp32 operands fit a device: each matrix within its largest buffer, all
// three within half its memory (no limit where the device states none).
std::vector<GemmShape> shapes_that_fit(const std::vector<GemmShape>& shapes, const backends::DeviceInfo& d);

std::vector<Result> measure_gemm(backends::Device& device, const GemmConfig& config, RunSink& sink);

}  // namespace specgap::suites
