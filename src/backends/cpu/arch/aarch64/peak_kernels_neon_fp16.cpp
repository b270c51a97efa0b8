// NEON fp16 peak kernel (FEAT_FP16, hwcaps fphp and asimdhp): 128-bit FMLA on eight fp16 lanes.
#include <arm_neon.h>

#include "backends/cpu/arch/aarch64/memory_peak_tables.h"
#include "backends/cpu/peak_kernels_generic.h"

namespace specgap::cpu {
namespace {
struct Fp16Fmla {
  using V = float16x8_t;
  static constexpr int kOpsPer32BitLane = 4;  // two fp16 lanes per 32 bits, an FMA (2 FLOP) each
  static V load(const void* p) { return vld1q_f16(static_cast<const float16_t*>(p)); }
  static void store(void* p, V v) { vst1q_f16(static_cast<float16_t*>(p), v); }
  static V op(V acc, V a, V b) { return vfmaq_f16(acc, a, b); }
};
}  // namespace

const PeakKernelEntry kPeakKernelsNeonFp16[] = {
    SPECGAP_PEAK_KERNEL(Fp16Fmla, kArmPeakAccumulators, Dtype::fp16, "neon-fmla", "fmla v.8h"),
};
const size_t kPeakKernelsNeonFp16Count = sizeof kPeakKernelsNeonFp16 / sizeof kPeakKernelsNeonFp16[0];

}  // namespace specgap::cpu
