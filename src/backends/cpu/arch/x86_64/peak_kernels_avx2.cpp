// AVX2 peak kernels: 256-bit FMA on 12 accumulators (of 16 ymm registers; two hold the operands).
// On a core with 512-bit FMA units their rate is half the AVX-512 one: the pair shows the datapath.
#include <immintrin.h>

#include "backends/cpu/arch/x86_64/x86_tables.h"
#include "backends/cpu/peak_kernels_generic.h"

namespace specgap::cpu {
namespace {
struct Fp64Fma {
  using V = __m256d;
  static constexpr int kOpsPer32BitLane = 1;  // an FMA on a 64-bit lane: 2 FLOP per 2 x 32 bits
  static V load(const void* p) { return _mm256_loadu_pd(static_cast<const double*>(p)); }
  static void store(void* p, V v) { _mm256_storeu_pd(static_cast<double*>(p), v); }
  static V op(V acc, V a, V b) { return _mm256_fmadd_pd(a, b, acc); }
};
struct Fp32Fma {
  using V = __m256;
  static constexpr int kOpsPer32BitLane = 2;
  static V load(const void* p) { return _mm256_loadu_ps(static_cast<const float*>(p)); }
  static void store(void* p, V v) { _mm256_storeu_ps(static_cast<float*>(p), v); }
  static V op(V acc, V a, V b) { return _mm256_fmadd_ps(a, b, acc); }
};
}  // namespace

const PeakKernelEntry kPeakKernelsAvx2[] = {
    SPECGAP_PEAK_KERNEL(Fp64Fma, 12, Dtype::fp64, "avx2-fma", "vfmadd231pd ymm"),
    SPECGAP_PEAK_KERNEL(Fp32Fma, 12, Dtype::fp32, "avx2-fma", "vfmadd231ps ymm"),
};
const size_t kPeakKernelsAvx2Count = sizeof kPeakKernelsAvx2 / sizeof kPeakKernelsAvx2[0];

}  // namespace specgap::cpu
