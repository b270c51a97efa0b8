#pragma once
// The kernel tables each x86-64 ISA file exports; arch_kernels.cpp picks those the CPU can run.
#include <cstddef>

#include "backends/cpu/attention_kernels.h"
#include "backends/cpu/memory_kernels.h"
#include "backends/cpu/peak_kernels.h"
#include "backends/cpu/quant_matmul.h"

namespace specgap::cpu {
extern const MemKernelEntry kMemoryKernelsAvx2[];
extern const size_t kMemoryKernelsAvx2Count;
extern const MemKernelEntry kMemoryKernelsAvx512[];
extern const size_t kMemoryKernelsAvx512Count;

extern const PeakKernelEntry kPeakKernelsAvx2[];
extern const size_t kPeakKernelsAvx2Count;
extern const PeakKernelEntry kPeakKernelsAvx512[];
extern const size_t kPeakKernelsAvx512Count;
extern const PeakKernelEntry kPeakKernelsAvx512Bf16[];
extern const size_t kPeakKernelsAvx512Bf16Count;
extern const PeakKernelEntry kPeakKernelsAvx512Vnni[];
extern const size_t kPeakKernelsAvx512VnniCount;
extern const PeakKernelEntry kPeakKernelsAvxVnni[];
extern const size_t kPeakKernelsAvxVnniCount;
extern const PeakKernelEntry kPeakKernelsAvx512Fp16[];
extern const size_t kPeakKernelsAvx512Fp16Count;
extern const PeakKernelEntry kPeakKernelsAmxBf16[];
extern const size_t kPeakKernelsAmxBf16Count;
extern const PeakKernelEntry kPeakKernelsAmxInt8[];
extern const size_t kPeakKernelsAmxInt8Count;

// AVX512F + BW + VNNI matmul kernels; nullptr for a type without one.
MatmulFn matmul_avx512vnni(GgmlType t);
QuantizeActFn quantize_act_avx512(GgmlType t);
// AVX2 + FMA + F16C matmul kernels (no VNNI); nullptr for a type without one.
MatmulFn matmul_avx2(GgmlType t);
AttentionKernels attention_avx512();
AttentionKernels attention_avx2();
}  // namespace specgap::cpu
