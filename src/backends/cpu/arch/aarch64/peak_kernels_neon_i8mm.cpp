// NEON int8 matrix peak kernel (FEAT_I8MM, hwcap i8mm): SMMLA treats each operand as a 2x8 s8 matrix
// and adds A times B transposed to the 2x2 int32 accumulator: each lane sums a row of A with a row of
// B, 8 products, two SDOT groups: 16 OP per lane.
#include <arm_neon.h>

#include "backends/cpu/arch/aarch64/memory_peak_tables.h"
#include "backends/cpu/peak_kernels_generic.h"

namespace specgap::cpu {
namespace {
struct Int8Mmla {
  using V = int32x4_t;
  static constexpr int kOpsPer32BitLane = 16;
  static constexpr int kGroupsPerLane = 2;
  static V load(const void* p) { return vld1q_s32(static_cast<const int32_t*>(p)); }
  static void store(void* p, V v) { vst1q_s32(static_cast<int32_t*>(p), v); }
  static V op(V acc, V a, V b) { return vmmlaq_s32(acc, vreinterpretq_s8_s32(a), vreinterpretq_s8_s32(b)); }
};
}  // namespace

const PeakKernelEntry kPeakKernelsNeonI8mm[] = {
    SPECGAP_PEAK_KERNEL(Int8Mmla, kArmPeakAccumulators, Dtype::int8, "neon-smmla", "smmla v.4s"),
};
const size_t kPeakKernelsNeonI8mmCount = sizeof kPeakKernelsNeonI8mm / sizeof kPeakKernelsNeonI8mm[0];

}  // namespace specgap::cpu
