// AVX-512 peak kernels: 512-bit FMA on 16 accumulators, enough to cover two FMA pipes of latency
// up to 8 cycles (cpu-uarch.md gives 4 on every AVX-512 core it lists).
#include <immintrin.h>

#include "backends/cpu/arch/x86_64/x86_tables.h"
#include "backends/cpu/peak_kernels_generic.h"

namespace specgap::cpu {
namespace {
struct Fp64Fma {
  using V = __m512d;
  static constexpr int kOpsPer32BitLane = 1;
  static V load(const void* p) { return _mm512_loadu_pd(p); }
  static void store(void* p, V v) { _mm512_storeu_pd(p, v); }
  static V op(V acc, V a, V b) { return _mm512_fmadd_pd(a, b, acc); }
};
struct Fp32Fma {
  using V = __m512;
  static constexpr int kOpsPer32BitLane = 2;
  static V load(const void* p) { return _mm512_loadu_ps(p); }
  static void store(void* p, V v) { _mm512_storeu_ps(p, v); }
  static V op(V acc, V a, V b) { return _mm512_fmadd_ps(a, b, acc); }
};
}  // namespace

const PeakKernelEntry kPeakKernelsAvx512[] = {
    SPECGAP_PEAK_KERNEL(Fp64Fma, 16, Dtype::fp64, "avx512-fma", "vfmadd231pd zmm"),
    SPECGAP_PEAK_KERNEL(Fp32Fma, 16, Dtype::fp32, "avx512-fma", "vfmadd231ps zmm"),
};
const size_t kPeakKernelsAvx512Count = sizeof kPeakKernelsAvx512 / sizeof kPeakKernelsAvx512[0];

}  // namespace specgap::cpu
