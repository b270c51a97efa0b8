// SVE peak kernels at the vector length this process runs at: FMLA on fp64, fp32 and fp16 lanes (SVE
// requires FEAT_FP16), and SDOT on int32 lanes of four s8 x s8 pairs, which base SVE has.
#include <arm_sve.h>

#include "backends/cpu/arch/aarch64/memory_peak_tables.h"
#include "backends/cpu/arch/aarch64/sve_peak_loop.h"

namespace specgap::cpu {
namespace {
// FMLA's predicated form (the only one for whole vectors) under an all-true predicate.
struct Fp64Fmla {
  using V = svfloat64_t;
  static constexpr int kOpsPer32BitLane = 1;
  static V load(const void* p) { return svld1rq_f64(svptrue_b64(), static_cast<const double*>(p)); }
  static void store(unsigned char* out, int k, V v) { svst1_vnum_f64(svptrue_b64(), reinterpret_cast<double*>(out), k, v); }
  static V op(V acc, V a, V b) { return svmla_f64_m(svptrue_b64(), acc, a, b); }
};
struct Fp32Fmla {
  using V = svfloat32_t;
  static constexpr int kOpsPer32BitLane = 2;
  static V load(const void* p) { return svld1rq_f32(svptrue_b32(), static_cast<const float*>(p)); }
  static void store(unsigned char* out, int k, V v) { svst1_vnum_f32(svptrue_b32(), reinterpret_cast<float*>(out), k, v); }
  static V op(V acc, V a, V b) { return svmla_f32_m(svptrue_b32(), acc, a, b); }
};
struct Fp16Fmla {
  using V = svfloat16_t;
  static constexpr int kOpsPer32BitLane = 4;
  static V load(const void* p) { return svld1rq_f16(svptrue_b16(), static_cast<const float16_t*>(p)); }
  static void store(unsigned char* out, int k, V v) { svst1_vnum_f16(svptrue_b16(), reinterpret_cast<float16_t*>(out), k, v); }
  static V op(V acc, V a, V b) { return svmla_f16_m(svptrue_b16(), acc, a, b); }
};
struct Int8Dot {
  using V = svint32_t;
  static constexpr int kOpsPer32BitLane = 8;
  static V load(const void* p) { return svld1rq_s32(svptrue_b32(), static_cast<const int32_t*>(p)); }
  static void store(unsigned char* out, int k, V v) { svst1_vnum_s32(svptrue_b32(), reinterpret_cast<int32_t*>(out), k, v); }
  static V op(V acc, V a, V b) { return svdot_s32(acc, svreinterpret_s8_s32(a), svreinterpret_s8_s32(b)); }
};
}  // namespace

const PeakKernelEntry kPeakKernelsSve[] = {
    SPECGAP_SVE_PEAK_KERNEL(Fp64Fmla, kArmPeakAccumulators, Dtype::fp64, "sve-fmla", "fmla z.d"),
    SPECGAP_SVE_PEAK_KERNEL(Fp32Fmla, kArmPeakAccumulators, Dtype::fp32, "sve-fmla", "fmla z.s"),
    SPECGAP_SVE_PEAK_KERNEL(Fp16Fmla, kArmPeakAccumulators, Dtype::fp16, "sve-fmla", "fmla z.h"),
    SPECGAP_SVE_PEAK_KERNEL(Int8Dot, kArmPeakAccumulators, Dtype::int8, "sve-sdot", "sdot z.s"),
};
const size_t kPeakKernelsSveCount = sizeof kPeakKernelsSve / sizeof kPeakKernelsSve[0];

}  // namespace specgap::cpu
