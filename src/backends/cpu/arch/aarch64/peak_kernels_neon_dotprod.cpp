// NEON int8 peak kernel (FEAT_DotProd, hwcap asimddp): SDOT multiplies four s8 x s8 pairs per int32
// lane and adds the four products to the accumulator: 4 multiplies + 4 adds = 8 OP per lane.
#include <arm_neon.h>

#include "backends/cpu/arch/aarch64/memory_peak_tables.h"
#include "backends/cpu/peak_kernels_generic.h"

namespace specgap::cpu {
namespace {
struct Int8Dot {
  using V = int32x4_t;
  static constexpr int kOpsPer32BitLane = 8;
  static V load(const void* p) { return vld1q_s32(static_cast<const int32_t*>(p)); }
  static void store(void* p, V v) { vst1q_s32(static_cast<int32_t*>(p), v); }
  static V op(V acc, V a, V b) { return vdotq_s32(acc, vreinterpretq_s8_s32(a), vreinterpretq_s8_s32(b)); }
};
}  // namespace

const PeakKernelEntry kPeakKernelsNeonDotprod[] = {
    SPECGAP_PEAK_KERNEL(Int8Dot, kArmPeakAccumulators, Dtype::int8, "neon-sdot", "sdot v.4s"),
};
const size_t kPeakKernelsNeonDotprodCount = sizeof kPeakKernelsNeonDotprod / sizeof kPeakKernelsNeonDotprod[0];

}  // namespace specgap::cpu
