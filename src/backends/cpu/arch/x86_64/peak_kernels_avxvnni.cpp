// AVX-VNNI peak kernel: the VEX-encoded 256-bit vpdpbusd of cores without AVX-512 (Alder Lake and
// later clients; Zen 5 has both). Compiled without AVX-512 flags, so it never uses EVEX encodings.
#include <immintrin.h>

#include "backends/cpu/arch/x86_64/x86_tables.h"
#include "backends/cpu/peak_kernels_generic.h"

namespace specgap::cpu {
namespace {
struct Int8Dot {
  using V = __m256i;
  static constexpr int kOpsPer32BitLane = 8;
  static V load(const void* p) { return _mm256_loadu_si256(static_cast<const __m256i*>(p)); }
  static void store(void* p, V v) { _mm256_storeu_si256(static_cast<__m256i*>(p), v); }
  static V op(V acc, V a, V b) { return _mm256_dpbusd_avx_epi32(acc, a, b); }
};
}  // namespace

const PeakKernelEntry kPeakKernelsAvxVnni[] = {
    SPECGAP_PEAK_KERNEL(Int8Dot, 12, Dtype::int8, "avx-vnni", "{vex} vpdpbusd ymm"),
};
const size_t kPeakKernelsAvxVnniCount = sizeof kPeakKernelsAvxVnni / sizeof kPeakKernelsAvxVnni[0];

}  // namespace specgap::cpu
