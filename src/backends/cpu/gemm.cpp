#include "backends/cpu/gemm.h"

#include "core/clock.h"

namespace specgap::cpu {

int64_t GemmInstance::time_calls(int calls) {
  const int64_t start = monotonic_ns();
  for (int i = 0; i < calls; ++i) run();
  return monotonic_ns() - start;
}

// Each library lives in its own file, with its headers (gemm_onednn.cpp, gemm_openblas.cpp).
std::unique_ptr<GemmLibrary> onednn_library(bool packed_b);
std::unique_ptr<GemmLibrary> openblas_library();

std::vector<std::unique_ptr<GemmLibrary>> gemm_libraries() {
  std::vector<std::unique_ptr<GemmLibrary>> out;
  out.push_back(onednn_library(false));
  out.push_back(onednn_library(true));
  out.push_back(openblas_library());
  return out;
}

}  // namespace specgap::cpu
