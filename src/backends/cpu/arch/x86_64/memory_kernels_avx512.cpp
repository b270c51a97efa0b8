// AVX-512 memory kernels: the generic kernels on 512-bit vectors (one cache line per vector).
// Compiled with -mavx512f; called only when CPUID and the OS say AVX-512 state is usable.
#include <immintrin.h>

#include "backends/cpu/arch/x86_64/x86_tables.h"
#include "backends/cpu/memory_kernels_generic.h"

namespace specgap::cpu {
namespace {
struct Avx512 {
  using V = __m512d;
  static constexpr size_t lanes = 8;
  static V load(const double* p) { return _mm512_load_pd(p); }
  static void store(double* p, V v) { _mm512_store_pd(p, v); }
  static void stream(double* p, V v) { _mm512_stream_pd(p, v); }
  static V set1(double s) { return _mm512_set1_pd(s); }
  static V zero() { return _mm512_setzero_pd(); }
  static V add(V a, V b) { return _mm512_add_pd(a, b); }
  static V mul(V a, V b) { return _mm512_mul_pd(a, b); }
  static V fmadd(V a, V b, V c) { return _mm512_fmadd_pd(a, b, c); }
  static double reduce(V v) { return _mm512_reduce_add_pd(v); }
  static void fence() { _mm_sfence(); }
};
}  // namespace

const MemKernelEntry kMemoryKernelsAvx512[] = {SPECGAP_MEMORY_KERNEL_TABLE(Avx512, "avx512")};
const size_t kMemoryKernelsAvx512Count = sizeof kMemoryKernelsAvx512 / sizeof kMemoryKernelsAvx512[0];

}  // namespace specgap::cpu
