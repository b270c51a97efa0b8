#pragma once
// The peak loop of peak_kernels_generic.h for SVE, whose vector types are sizeless: no arrays of
// them, no sizeof, no constexpr lane count. The K accumulators are therefore a parameter pack, grown
// one load at a time, and each `op` is applied to all of them by a fold. The trait S gives V, load
// (one 128-bit quadword of the operands replicated to the whole vector, LD1RQ: PeakOperands repeats
// a pattern of at most 8 bytes, so every lane sees the same operands at any vector length),
// store(out, k, v) (accumulator k at out + k vector lengths) and op.
// Included only by SVE translation units: intrinsics and this template, no std:: code.
#include <arm_sve.h>

#include <cstdint>

#include "backends/cpu/peak_kernels_generic.h"  // peak_groups_per_lane

namespace specgap::cpu {

// SVE's longest vector (Arm ARM: a multiple of 128 bits up to 2048).
inline constexpr size_t kSveMaxVectorBytes = 256;

template <class S, int K, class... Acc>
[[gnu::always_inline]] inline void sve_chains(uint64_t iterations, typename S::V a, typename S::V b,
                                              const unsigned char* acc0, unsigned char* out, Acc... acc) {
  if constexpr (sizeof...(Acc) < K) {
    // Equal chains would be merged into one by the compiler: each loads through a pointer it cannot
    // see through.
    const unsigned char* from = acc0;
    asm volatile("" : "+r"(from));
    sve_chains<S, K>(iterations, a, b, acc0, out, acc..., S::load(from));
  } else {
    for (uint64_t i = 0; i < iterations; ++i) ((acc = S::op(acc, a, b)), ...);
    int k = 0;
    (S::store(out, k++, acc), ...);
  }
}

template <class S, int K>
void sve_peak_loop(uint64_t iterations, const PeakOperands& ops, void* out) {
  static_assert(K * kSveMaxVectorBytes <= kPeakMaxOutputBytes, "the output must hold K of the longest vectors");
  sve_chains<S, K>(iterations, S::load(ops.a), S::load(ops.b), ops.acc0, static_cast<unsigned char*>(out));
}

// A table row for trait S with K accumulators, as for a 128-bit vector: arch_kernels.cpp scales
// vector_bits and ops_per_instruction to the vector length this process runs at.
#define SPECGAP_SVE_PEAK_KERNEL(S, K, dtype, impl, instruction)                                           \
  PeakKernelEntry {                                                                                        \
    dtype, impl, instruction, 128, K, 4 * S::kOpsPer32BitLane, &sve_peak_loop<S, K>, peak_groups_per_lane<S>() \
  }

}  // namespace specgap::cpu
