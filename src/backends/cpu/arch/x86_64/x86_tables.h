#pragma once
// The kernel tables each x86-64 ISA file exports; arch_kernels.cpp picks those the CPU can run.
#include <cstddef>

#include "backends/cpu/memory_kernels.h"

namespace specgap::cpu {
extern const MemKernelEntry kMemoryKernelsAvx2[];
extern const size_t kMemoryKernelsAvx2Count;
extern const MemKernelEntry kMemoryKernelsAvx512[];
extern const size_t kMemoryKernelsAvx512Count;
}  // namespace specgap::cpu
