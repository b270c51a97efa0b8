// NEON peak kernels: 128-bit FMLA on fp64 and fp32 lanes. NEON is part of every AArch64 core.
#include <arm_neon.h>

#include "backends/cpu/arch/aarch64/memory_peak_tables.h"
#include "backends/cpu/peak_kernels_generic.h"

namespace specgap::cpu {
namespace {
struct Fp64Fmla {
  using V = float64x2_t;
  static constexpr int kOpsPer32BitLane = 1;  // an FMA on a 64-bit lane: 2 FLOP per 2 x 32 bits
  static V load(const void* p) { return vld1q_f64(static_cast<const double*>(p)); }
  static void store(void* p, V v) { vst1q_f64(static_cast<double*>(p), v); }
  static V op(V acc, V a, V b) { return vfmaq_f64(acc, a, b); }
};
struct Fp32Fmla {
  using V = float32x4_t;
  static constexpr int kOpsPer32BitLane = 2;
  static V load(const void* p) { return vld1q_f32(static_cast<const float*>(p)); }
  static void store(void* p, V v) { vst1q_f32(static_cast<float*>(p), v); }
  static V op(V acc, V a, V b) { return vfmaq_f32(acc, a, b); }
};
}  // namespace

const PeakKernelEntry kPeakKernelsNeon[] = {
    SPECGAP_PEAK_KERNEL(Fp64Fmla, kArmPeakAccumulators, Dtype::fp64, "neon-fmla", "fmla v.2d"),
    SPECGAP_PEAK_KERNEL(Fp32Fmla, kArmPeakAccumulators, Dtype::fp32, "neon-fmla", "fmla v.4s"),
};
const size_t kPeakKernelsNeonCount = sizeof kPeakKernelsNeon / sizeof kPeakKernelsNeon[0];

}  // namespace specgap::cpu
