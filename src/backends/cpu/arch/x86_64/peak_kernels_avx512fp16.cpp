// AVX512_FP16 peak kernel (Sapphire Rapids and later): 512-bit FMA on 32 fp16 lanes, 2 FLOP each.
#include <immintrin.h>

#include "backends/cpu/arch/x86_64/x86_tables.h"
#include "backends/cpu/peak_kernels_generic.h"

namespace specgap::cpu {
namespace {
struct Fp16Fma {
  using V = __m512h;
  static constexpr int kOpsPer32BitLane = 4;  // two fp16 lanes per 32 bits, an FMA (2 FLOP) each
  static V load(const void* p) { return _mm512_loadu_ph(p); }
  static void store(void* p, V v) { _mm512_storeu_ph(p, v); }
  static V op(V acc, V a, V b) { return _mm512_fmadd_ph(a, b, acc); }
};
}  // namespace

const PeakKernelEntry kPeakKernelsAvx512Fp16[] = {
    SPECGAP_PEAK_KERNEL(Fp16Fma, 16, Dtype::fp16, "avx512-fp16", "vfmadd231ph zmm"),
};
const size_t kPeakKernelsAvx512Fp16Count = sizeof kPeakKernelsAvx512Fp16 / sizeof kPeakKernelsAvx512Fp16[0];

}  // namespace specgap::cpu
