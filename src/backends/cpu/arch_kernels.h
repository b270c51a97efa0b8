#pragma once
// The seam between portable code and an architecture's SIMD kernels: each arch/<processor>/ folder
// implements this once, checking at run time which of its ISA variants this CPU and OS support.
#include <vector>

#include "backends/cpu/memory_kernels.h"

namespace specgap::cpu {

// Appends the SIMD memory kernels this CPU can run, narrowest ISA first.
void append_arch_memory_kernels(std::vector<MemKernel>& out);

}  // namespace specgap::cpu
