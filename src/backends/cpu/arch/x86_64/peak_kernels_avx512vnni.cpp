// AVX512_VNNI peak kernel: vpdpbusd multiplies four u8 x s8 pairs per int32 lane and adds the four
// products to the accumulator: 4 multiplies + 4 adds = 8 OP per lane (Intel's counting for VNNI).
#include <immintrin.h>

#include "backends/cpu/arch/x86_64/x86_tables.h"
#include "backends/cpu/peak_kernels_generic.h"

namespace specgap::cpu {
namespace {
struct Int8Dot {
  using V = __m512i;
  static constexpr int kOpsPer32BitLane = 8;
  static V load(const void* p) { return _mm512_loadu_si512(p); }
  static void store(void* p, V v) { _mm512_storeu_si512(p, v); }
  static V op(V acc, V a, V b) { return _mm512_dpbusd_epi32(acc, a, b); }
};
}  // namespace

const PeakKernelEntry kPeakKernelsAvx512Vnni[] = {
    SPECGAP_PEAK_KERNEL(Int8Dot, 16, Dtype::int8, "avx512-vnni", "vpdpbusd zmm"),
};
const size_t kPeakKernelsAvx512VnniCount = sizeof kPeakKernelsAvx512Vnni / sizeof kPeakKernelsAvx512Vnni[0];

}  // namespace specgap::cpu
