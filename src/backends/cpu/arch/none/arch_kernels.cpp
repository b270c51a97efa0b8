// An architecture without SIMD kernels yet: the scalar reference kernels are all it runs.
#include "backends/cpu/arch_kernels.h"

namespace specgap::cpu {
void append_arch_memory_kernels(std::vector<MemKernel>&) {}
}  // namespace specgap::cpu
