// AVX2 memory kernels: the generic kernels on 256-bit vectors.
// Compiled with -mavx2 -mfma; called only when CPUID and the OS say AVX state is usable.
#include <immintrin.h>

#include "backends/cpu/arch/x86_64/x86_tables.h"
#include "backends/cpu/memory_kernels_generic.h"

namespace specgap::cpu {
namespace {
struct Avx2 {
  using V = __m256d;
  static constexpr size_t lanes = 4;
  static V load(const double* p) { return _mm256_load_pd(p); }
  static void store(double* p, V v) { _mm256_store_pd(p, v); }
  static void stream(double* p, V v) { _mm256_stream_pd(p, v); }
  static V set1(double s) { return _mm256_set1_pd(s); }
  static V zero() { return _mm256_setzero_pd(); }
  static V add(V a, V b) { return _mm256_add_pd(a, b); }
  static V mul(V a, V b) { return _mm256_mul_pd(a, b); }
  static V fmadd(V a, V b, V c) { return _mm256_fmadd_pd(a, b, c); }
  static double reduce(V v) {
    const __m128d pair = _mm_add_pd(_mm256_castpd256_pd128(v), _mm256_extractf128_pd(v, 1));
    return _mm_cvtsd_f64(_mm_add_sd(pair, _mm_unpackhi_pd(pair, pair)));
  }
  static void fence() { _mm_sfence(); }
};
}  // namespace

const MemKernelEntry kMemoryKernelsAvx2[] = {SPECGAP_MEMORY_KERNEL_TABLE(Avx2, "avx2")};
const size_t kMemoryKernelsAvx2Count = sizeof kMemoryKernelsAvx2 / sizeof kMemoryKernelsAvx2[0];

}  // namespace specgap::cpu
