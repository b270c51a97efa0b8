#include "backends/cpu/peak_kernels.h"

#include "backends/cpu/arch_kernels.h"

namespace specgap::cpu {

std::vector<PeakKernelEntry> peak_kernels() {
  std::vector<PeakKernelEntry> available;
  std::vector<MissingPeakKernel> missing;
  append_arch_peak_kernels(available, missing);
  return available;
}

std::vector<MissingPeakKernel> missing_peak_kernels() {
  std::vector<PeakKernelEntry> available;
  std::vector<MissingPeakKernel> missing;
  append_arch_peak_kernels(available, missing);
  return missing;
}

}  // namespace specgap::cpu
