#pragma once
// The LLM kernels each AArch64 extension's file exports; arch_kernels.cpp picks those the CPU runs.
#include "backends/cpu/attention_kernels.h"
#include "backends/cpu/quant_matmul.h"

namespace specgap::cpu {
// NEON + SDOT (FEAT_DotProd) matmul kernels over the signed coding; nullptr for a type without one.
MatmulFn matmul_neon_dotprod(GgmlType t);
// NEON + I8MM (SMMLA) prefill kernels for Q4_0, Q8_0 and MXFP4 (decode runs the SDOT kernel); nullptr
// for the other types.
MatmulFn matmul_neon_i8mm(GgmlType t);
// SVE (SDOT by element on whole vectors) matmul kernels for Q4_0, Q8_0 and MXFP4 at this process's
// vector length; nullptr for the other types. Call only where arm_features().sve.
MatmulFn matmul_sve(GgmlType t);
// The NEON activation quantiser (base AArch64 NEON); nullptr for the float types.
QuantizeActFn quantize_act_neon(GgmlType t);
// The NEON attention products over the fp16 cache, widened to fp32 (base AArch64 NEON).
AttentionKernels attention_neon();
}  // namespace specgap::cpu
