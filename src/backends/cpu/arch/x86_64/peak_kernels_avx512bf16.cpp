// AVX512_BF16 peak kernel: vdpbf16ps multiplies two bf16 pairs per fp32 lane and adds both products
// to the fp32 accumulator: 2 multiplies + 2 adds = 4 FLOP per lane.
#include <immintrin.h>

#include "backends/cpu/arch/x86_64/x86_tables.h"
#include "backends/cpu/peak_kernels_generic.h"

namespace specgap::cpu {
namespace {
struct Bf16Dot {
  using V = __m512;
  static constexpr int kOpsPer32BitLane = 4;
  static V load(const void* p) { return _mm512_loadu_ps(p); }
  static void store(void* p, V v) { _mm512_storeu_ps(p, v); }
  static V op(V acc, V a, V b) {
    return _mm512_dpbf16_ps(acc, reinterpret_cast<__m512bh>(a), reinterpret_cast<__m512bh>(b));
  }
};
}  // namespace

const PeakKernelEntry kPeakKernelsAvx512Bf16[] = {
    SPECGAP_PEAK_KERNEL(Bf16Dot, 16, Dtype::bf16, "avx512-bf16", "vdpbf16ps zmm"),
};
const size_t kPeakKernelsAvx512Bf16Count = sizeof kPeakKernelsAvx512Bf16 / sizeof kPeakKernelsAvx512Bf16[0];

}  // namespace specgap::cpu
