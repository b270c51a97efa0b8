#pragma once
// The CPU's GEMM as kernels of the seam (backends/device.h): one per library that runs the dtype here
// (oneDNN, OpenBLAS, and OpenBLAS again uncapped in a child process when OPENBLAS_CORETYPE caps it,
// so an environment never sets the figure). Each kernel prepares its matrices and checks a call
// against an fp64 recomputation (gemm_check.h) before it is timed.
#include <memory>
#include <string>
#include <vector>

#include "backends/cpu/gemm.h"
#include "backends/device.h"

namespace specgap::cpu {

// The variable that caps OpenBLAS's kernel choice at load time, and that its child run removes.
inline constexpr const char* kOpenblasCap = "OPENBLAS_CORETYPE";

// A library with what its kernel choice ran under ("in process", "child process without ...").
struct PlacedGemmLibrary {
  std::unique_ptr<GemmLibrary> library;
  std::string environment;
};

// The libraries a device's GEMM offers come from: every library built in, plus a capped one again in
// a child of `helper_exe` (once made, kept: the child serves every shape). A child that cannot start
// leaves its library out and says why in `notes`.
class GemmLibraries {
 public:
  std::vector<PlacedGemmLibrary*> open(const std::string& helper_exe, std::vector<std::string>& notes);

 private:
  std::vector<PlacedGemmLibrary> libraries_;
  bool opened_ = false;
};

backends::Offer gemm_offer(const backends::GemmRequest& r, GemmLibraries& libraries);

}  // namespace specgap::cpu
