#pragma once
// The one peak loop every ISA instantiates with a small trait S: its vector type V, load, store and
// `op(acc, a, b)`, the single instruction whose rate is measured. K accumulators are independent
// chains, so the loop is bound by how many `op`s the core issues per cycle, not by their latency.
// Included only by SIMD translation units: intrinsics and this template, no std:: code.
#include <cstdint>

#include "backends/cpu/peak_kernels.h"

namespace specgap::cpu {

template <class S, int K>
void peak_loop(uint64_t iterations, const PeakOperands& ops, void* out) {
  using V = typename S::V;
  const V a = S::load(ops.a);
  const V b = S::load(ops.b);
  V acc[K];
#pragma GCC unroll 32
  for (int k = 0; k < K; ++k) {
    acc[k] = S::load(ops.acc0);
    // Equal chains would be merged into one by the compiler: make each opaque to it ("v" names a
    // vector register on x86, "w" an FP/SIMD one on AArch64).
#if defined(__aarch64__)
    asm volatile("" : "+w"(acc[k]));
#else
    asm volatile("" : "+v"(acc[k]));
#endif
  }
  for (uint64_t i = 0; i < iterations; ++i) {
#pragma GCC unroll 32
    for (int k = 0; k < K; ++k) acc[k] = S::op(acc[k], a, b);
  }
  auto* bytes = static_cast<unsigned char*>(out);
#pragma GCC unroll 32
  for (int k = 0; k < K; ++k) S::store(bytes + k * sizeof(V), acc[k]);
}

// Operand groups one `op` sums into each accumulator lane (PeakKernelEntry::groups_per_lane): 1 unless
// the trait says otherwise, as a matrix multiply-accumulate (SMMLA, BFMMLA: 2) does.
template <class S>
constexpr int peak_groups_per_lane() {
  if constexpr (requires { S::kGroupsPerLane; }) return S::kGroupsPerLane;
  else return 1;
}

// A table row for trait S with K accumulators.
#define SPECGAP_PEAK_KERNEL(S, K, dtype, impl, instruction)                                           \
  PeakKernelEntry {                                                                                    \
    dtype, impl, instruction, static_cast<int>(sizeof(typename S::V) * 8), K,                         \
        static_cast<int>(sizeof(typename S::V) / 4 * S::kOpsPer32BitLane), &peak_loop<S, K>,         \
        peak_groups_per_lane<S>()                                                                      \
  }

}  // namespace specgap::cpu
