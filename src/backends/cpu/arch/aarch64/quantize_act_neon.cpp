// The activation quantiser in base AArch64 NEON: the same operations as quantize_act_row's portable
// loop, so the same bits. FCVTNS (vcvtnq_s32_f32) rounds to nearest, ties to even, as nearbyint
// does in the default rounding mode; FCVTN to fp16 rounds the same way, as float_to_fp16 does.
#include <arm_neon.h>

#include "backends/cpu/arch/aarch64/arm_llm_kernels.h"

namespace specgap::cpu {
namespace {

// 16 int32 lanes (each within int8) narrowed to 16 bytes.
inline int8x16_t narrow16(int32x4_t q0, int32x4_t q1, int32x4_t q2, int32x4_t q3) {
  return vcombine_s8(vmovn_s16(vcombine_s16(vmovn_s32(q0), vmovn_s32(q1))),
                     vmovn_s16(vcombine_s16(vmovn_s32(q2), vmovn_s32(q3))));
}

void quantize_q8x32(GgmlType t, const float* x, int64_t cols, std::byte* dst) {
  const int32_t bias_per_unit = act_weight_offset(t);
  auto* out = reinterpret_cast<ActQ8x32*>(dst);
  for (int64_t b = 0; b < cols / 32; ++b, x += 32) {
    float32x4_t v[8];
    float32x4_t m = vdupq_n_f32(0);
#pragma GCC unroll 8
    for (int i = 0; i < 8; ++i) {
      v[i] = vld1q_f32(x + 4 * i);
      m = vmaxq_f32(m, vabsq_f32(v[i]));
    }
    const float amax = vmaxvq_f32(m);
    const float d = amax / 127.0f, id = d != 0 ? 1.0f / d : 0.0f;
    int32x4_t q[8];
    int32x4_t sum = vdupq_n_s32(0);
#pragma GCC unroll 8
    for (int i = 0; i < 8; ++i) {
      q[i] = vcvtnq_s32_f32(vmulq_n_f32(v[i], id));
      sum = vaddq_s32(sum, q[i]);
    }
    vst1q_s8(out[b].qs, narrow16(q[0], q[1], q[2], q[3]));
    vst1q_s8(out[b].qs + 16, narrow16(q[4], q[5], q[6], q[7]));
    out[b].d = vgetq_lane_f32(vcvt_f32_f16(vcvt_f16_f32(vdupq_n_f32(d))), 0);  // as llama.cpp stores it: fp16
    out[b].bias = -bias_per_unit * vaddvq_s32(sum);
  }
}

void quantize_q8x256(const float* x, int64_t cols, std::byte* dst) {
  auto* out = reinterpret_cast<ActQ8x256*>(dst);
  for (int64_t b = 0; b < cols / 256; ++b, x += 256) {
    float32x4_t m = vdupq_n_f32(0);
#pragma GCC unroll 16
    for (int v = 0; v < 64; ++v) m = vmaxq_f32(m, vabsq_f32(vld1q_f32(x + 4 * v)));
    const float amax = vmaxvq_f32(m);
    __builtin_memset(&out[b], 0, sizeof(ActQ8x256));
    if (amax == 0) continue;
    float max = 0;  // the first element of largest magnitude, with its sign
    for (int i = 0; i < 256; ++i)
      if (__builtin_fabsf(x[i]) == amax) {
        max = x[i];
        break;
      }
    const float iscale = -127.0f / max;
    const int32x4_t top = vdupq_n_s32(127);
    for (int j = 0; j < 16; ++j) {
      int32x4_t q[4];
#pragma GCC unroll 4
      for (int i = 0; i < 4; ++i) q[i] = vminq_s32(vcvtnq_s32_f32(vmulq_n_f32(vld1q_f32(x + 16 * j + 4 * i), iscale)), top);
      vst1q_s8(out[b].qs + 16 * j, narrow16(q[0], q[1], q[2], q[3]));
      out[b].bsums[j] = static_cast<int16_t>(vaddvq_s32(vaddq_s32(vaddq_s32(q[0], q[1]), vaddq_s32(q[2], q[3]))));
    }
    out[b].d = 1.0f / iscale;
  }
}

void quantize(GgmlType t, const float* x, int64_t cols, std::byte* dst) {
  if (act_format(t) == ActFormat::q8x32) quantize_q8x32(t, x, cols, dst);
  else quantize_q8x256(x, cols, dst);
}
}  // namespace

QuantizeActFn quantize_act_neon(GgmlType t) {
  switch (t) {
    case GgmlType::q4_0: case GgmlType::q8_0: case GgmlType::mxfp4: case GgmlType::q4_k: case GgmlType::q6_k:
      return quantize;
    default: return nullptr;
  }
}

}  // namespace specgap::cpu
