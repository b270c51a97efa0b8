#pragma once
// The memory and peak kernel tables each AArch64 ISA file exports; arch_kernels.cpp offers those that
// arm_features() says this CPU and kernel can run.
#include <cstddef>

#include "backends/cpu/memory_kernels.h"
#include "backends/cpu/peak_kernels.h"

namespace specgap::cpu {
extern const MemKernelEntry kMemoryKernelsNeon[];
extern const size_t kMemoryKernelsNeonCount;
extern const MemKernelEntry kMemoryKernelsSve[];
extern const size_t kMemoryKernelsSveCount;

// Independent accumulators per peak kernel, NEON and SVE alike: enough chains for the most
// instructions in flight on the cores of cpu-uarch.md 3.11-3.15: six 128-bit pipes x 4 cycles of FMLA
// latency on Cortex-X925 if all six issue FMLA, four pipes x 6 cycles of BFMMLA latency on Neoverse V2.
// With the two operand registers that leaves 6 of the 32 vector registers free, so nothing spills.
inline constexpr int kArmPeakAccumulators = 24;

extern const PeakKernelEntry kPeakKernelsNeon[];
extern const size_t kPeakKernelsNeonCount;
extern const PeakKernelEntry kPeakKernelsNeonFp16[];
extern const size_t kPeakKernelsNeonFp16Count;
extern const PeakKernelEntry kPeakKernelsNeonDotprod[];
extern const size_t kPeakKernelsNeonDotprodCount;
extern const PeakKernelEntry kPeakKernelsNeonBf16[];
extern const size_t kPeakKernelsNeonBf16Count;
extern const PeakKernelEntry kPeakKernelsNeonI8mm[];
extern const size_t kPeakKernelsNeonI8mmCount;

// The SVE rows describe a 128-bit vector (vector_bits 128, ops_per_instruction for 128 bits): the
// length is known only at run time, so arch_kernels.cpp scales both to arm_features().sve_vector_bits.
extern const PeakKernelEntry kPeakKernelsSve[];
extern const size_t kPeakKernelsSveCount;
extern const PeakKernelEntry kPeakKernelsSveBf16[];
extern const size_t kPeakKernelsSveBf16Count;
extern const PeakKernelEntry kPeakKernelsSveI8mm[];
extern const size_t kPeakKernelsSveI8mmCount;
}  // namespace specgap::cpu
