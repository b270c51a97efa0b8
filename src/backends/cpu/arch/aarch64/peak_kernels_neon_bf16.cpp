// NEON bf16 peak kernels (FEAT_BF16, hwcap bf16), both into fp32 lanes:
// - BFDOT multiplies two bf16 pairs per lane and adds both products: 4 FLOP per lane;
// - BFMMLA treats each operand as a 2x4 bf16 matrix and adds A times B transposed to the 2x2 fp32
//   accumulator: each lane sums a row of A with a row of B, 4 products, two BFDOT groups: 8 FLOP.
#include <arm_neon.h>

#include "backends/cpu/arch/aarch64/memory_peak_tables.h"
#include "backends/cpu/peak_kernels_generic.h"

namespace specgap::cpu {
namespace {
struct Bf16Dot {
  using V = float32x4_t;
  static constexpr int kOpsPer32BitLane = 4;
  static V load(const void* p) { return vld1q_f32(static_cast<const float*>(p)); }
  static void store(void* p, V v) { vst1q_f32(static_cast<float*>(p), v); }
  static V op(V acc, V a, V b) { return vbfdotq_f32(acc, vreinterpretq_bf16_f32(a), vreinterpretq_bf16_f32(b)); }
};
struct Bf16Mmla : Bf16Dot {
  static constexpr int kOpsPer32BitLane = 8;
  static constexpr int kGroupsPerLane = 2;
  static V op(V acc, V a, V b) { return vbfmmlaq_f32(acc, vreinterpretq_bf16_f32(a), vreinterpretq_bf16_f32(b)); }
};
}  // namespace

const PeakKernelEntry kPeakKernelsNeonBf16[] = {
    SPECGAP_PEAK_KERNEL(Bf16Dot, kArmPeakAccumulators, Dtype::bf16, "neon-bfdot", "bfdot v.4s"),
    SPECGAP_PEAK_KERNEL(Bf16Mmla, kArmPeakAccumulators, Dtype::bf16, "neon-bfmmla", "bfmmla v.4s"),
};
const size_t kPeakKernelsNeonBf16Count = sizeof kPeakKernelsNeonBf16 / sizeof kPeakKernelsNeonBf16[0];

}  // namespace specgap::cpu
