// SVE bf16 peak kernels (hwcap svebf16) at the vector length this process runs at: BFDOT (two bf16
// pairs per fp32 lane) and BFMMLA (a 2x4 by 4x2 bf16 product into each 128-bit segment's 2x2 fp32
// accumulator, as NEON's: two BFDOT groups per lane).
#include <arm_sve.h>

#include "backends/cpu/arch/aarch64/memory_peak_tables.h"
#include "backends/cpu/arch/aarch64/sve_peak_loop.h"

namespace specgap::cpu {
namespace {
struct Bf16Dot {
  using V = svfloat32_t;
  static constexpr int kOpsPer32BitLane = 4;
  static V load(const void* p) { return svld1rq_f32(svptrue_b32(), static_cast<const float*>(p)); }
  static void store(unsigned char* out, int k, V v) { svst1_vnum_f32(svptrue_b32(), reinterpret_cast<float*>(out), k, v); }
  static V op(V acc, V a, V b) { return svbfdot_f32(acc, svreinterpret_bf16_f32(a), svreinterpret_bf16_f32(b)); }
};
struct Bf16Mmla : Bf16Dot {
  static constexpr int kOpsPer32BitLane = 8;
  static constexpr int kGroupsPerLane = 2;
  static V op(V acc, V a, V b) { return svbfmmla_f32(acc, svreinterpret_bf16_f32(a), svreinterpret_bf16_f32(b)); }
};
}  // namespace

const PeakKernelEntry kPeakKernelsSveBf16[] = {
    SPECGAP_SVE_PEAK_KERNEL(Bf16Dot, kArmPeakAccumulators, Dtype::bf16, "sve-bfdot", "bfdot z.s"),
    SPECGAP_SVE_PEAK_KERNEL(Bf16Mmla, kArmPeakAccumulators, Dtype::bf16, "sve-bfmmla", "bfmmla z.s"),
};
const size_t kPeakKernelsSveBf16Count = sizeof kPeakKernelsSveBf16 / sizeof kPeakKernelsSveBf16[0];

}  // namespace specgap::cpu
