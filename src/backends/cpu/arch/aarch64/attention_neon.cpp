// NEON attention products over the fp16 cache (attention_kernels.h), in base AArch64 NEON: FCVTL
// and FCVTL2 widen the 8 halves of one 16-byte load to two fp32 vectors, and each feeds one FMA per
// query. fp32 accumulation, as the portable loops and the x86 kernels do; FEAT_FP16's half-precision
// FMLA would round every partial sum to fp16.
#include <arm_neon.h>

#include "backends/cpu/arch/aarch64/arm_llm_kernels.h"

namespace specgap::cpu {
namespace {
// 8 halves as two fp32 vectors: positions (or dimensions) 0-3 and 4-7.
struct Widened {
  float32x4_t lo, hi;
};
inline Widened halves8(const uint16_t* p) {
  const float16x8_t h = vreinterpretq_f16_u16(vld1q_u16(p));
  return {vcvt_f32_f16(vget_low_f16(h)), vcvt_high_f32_f16(h)};
}

// The first n (0..4) lanes of v.
inline void store_first(float* dst, float32x4_t v, int64_t n) {
  if (n >= 4) return vst1q_f32(dst, v);
  if (n > 0) vst1q_lane_f32(dst, v, 0);
  if (n > 1) vst1q_lane_f32(dst + 1, v, 1);
  if (n > 2) vst1q_lane_f32(dst + 2, v, 2);
}

// JB blocks of 8 positions at a time for NQ queries. The FMAs over the head's dimensions form one
// dependent chain per accumulator, so a lone query (decode) takes 4 blocks, 32 positions, to keep 8
// chains in flight. The cache's capacity is padded to 16, so a partial last block of 8 stays inside
// it, and only `count` results are stored.
template <int NQ, int JB>
int64_t scores_tile(const float* q, int64_t q_stride, const uint16_t* k_t, int64_t capacity, int64_t head_dim,
                    int64_t j, int64_t end, float scale, float* s, int64_t s_stride) {
  for (; j < end; j += 8 * JB) {
    float32x4_t acc[NQ][2 * JB];
#pragma GCC unroll 4
    for (int i = 0; i < NQ; ++i)
#pragma GCC unroll 8
      for (int b = 0; b < 2 * JB; ++b) acc[i][b] = vdupq_n_f32(0);
    for (int64_t d = 0; d < head_dim; ++d) {
      Widened k[JB];
#pragma GCC unroll 4
      for (int b = 0; b < JB; ++b) k[b] = halves8(k_t + d * capacity + j + 8 * b);
#pragma GCC unroll 4
      for (int i = 0; i < NQ; ++i) {
        const float32x4_t qd = vdupq_n_f32(q[i * q_stride + d]);
#pragma GCC unroll 4
        for (int b = 0; b < JB; ++b) {
          acc[i][2 * b] = vfmaq_f32(acc[i][2 * b], qd, k[b].lo);
          acc[i][2 * b + 1] = vfmaq_f32(acc[i][2 * b + 1], qd, k[b].hi);
        }
      }
    }
#pragma GCC unroll 8
    for (int b = 0; b < 2 * JB; ++b) {
      const int64_t n = end - (j + 4 * b);
      if (n <= 0) break;
#pragma GCC unroll 4
      for (int i = 0; i < NQ; ++i) store_first(s + i * s_stride + j + 4 * b, vmulq_n_f32(acc[i][b], scale), n);
    }
  }
  return j;
}

// Whole tiles of JB blocks while they fit in `count`, then single blocks for the rest.
template <int NQ, int JB>
void scores_rows(const float* q, int64_t q_stride, const uint16_t* k_t, int64_t capacity, int64_t head_dim,
                 int64_t count, float scale, float* s, int64_t s_stride) {
  const int64_t whole = count / (8 * JB) * (8 * JB);
  const int64_t j = scores_tile<NQ, JB>(q, q_stride, k_t, capacity, head_dim, 0, whole, scale, s, s_stride);
  scores_tile<NQ, 1>(q, q_stride, k_t, capacity, head_dim, j, count, scale, s, s_stride);
}

void scores(const float* q, int64_t q_stride, int nq, const uint16_t* k_t, int64_t capacity, int64_t head_dim,
            int64_t count, float scale, float* s, int64_t s_stride) {
  switch (nq) {
    case 1: return scores_rows<1, 4>(q, q_stride, k_t, capacity, head_dim, count, scale, s, s_stride);
    case 2: return scores_rows<2, 2>(q, q_stride, k_t, capacity, head_dim, count, scale, s, s_stride);
    case 3: return scores_rows<3, 2>(q, q_stride, k_t, capacity, head_dim, count, scale, s, s_stride);
    default: return scores_rows<4, 2>(q, q_stride, k_t, capacity, head_dim, count, scale, s, s_stride);
  }
}

// W blocks of 8 dimensions of the output for NQ queries: at most 2 x 8 accumulators, so they and
// the 8 widened values stay in the 32 registers.
template <int NQ, int W>
void values_tile(const float* p, int64_t p_stride, const uint16_t* v, int64_t head_dim, int64_t count, float* out,
                 int64_t out_stride) {
  float32x4_t acc[NQ][2 * W];
#pragma GCC unroll 2
  for (int i = 0; i < NQ; ++i)
#pragma GCC unroll 8
    for (int c = 0; c < 2 * W; ++c) acc[i][c] = vdupq_n_f32(0);
  for (int64_t j = 0; j < count; ++j) {
    Widened vv[W];
#pragma GCC unroll 4
    for (int c = 0; c < W; ++c) vv[c] = halves8(v + j * head_dim + 8 * c);
#pragma GCC unroll 2
    for (int i = 0; i < NQ; ++i) {
      const float32x4_t w = vdupq_n_f32(p[i * p_stride + j]);
#pragma GCC unroll 4
      for (int c = 0; c < W; ++c) {
        acc[i][2 * c] = vfmaq_f32(acc[i][2 * c], w, vv[c].lo);
        acc[i][2 * c + 1] = vfmaq_f32(acc[i][2 * c + 1], w, vv[c].hi);
      }
    }
  }
#pragma GCC unroll 2
  for (int i = 0; i < NQ; ++i)
#pragma GCC unroll 8
    for (int c = 0; c < 2 * W; ++c) vst1q_f32(out + i * out_stride + 4 * c, acc[i][c]);
}

template <int NQ>
void values_width(const float* p, int64_t p_stride, const uint16_t* v, int64_t head_dim, int64_t count, float* out,
                  int64_t out_stride) {
  for (int64_t d = 0; d < head_dim; d += 32) {
    const int64_t w = (head_dim - d) / 8;
    if (w >= 4) values_tile<NQ, 4>(p, p_stride, v + d, head_dim, count, out + d, out_stride);
    else if (w == 3) values_tile<NQ, 3>(p, p_stride, v + d, head_dim, count, out + d, out_stride);
    else if (w == 2) values_tile<NQ, 2>(p, p_stride, v + d, head_dim, count, out + d, out_stride);
    else values_tile<NQ, 1>(p, p_stride, v + d, head_dim, count, out + d, out_stride);
  }
}

void values(const float* p, int64_t p_stride, int nq, const uint16_t* v, int64_t head_dim, int64_t count, float* out,
            int64_t out_stride) {
  // Queries in pairs: each pair shares the widened values.
  for (int i = 0; i < nq; i += 2) {
    if (nq - i >= 2) values_width<2>(p + i * p_stride, p_stride, v, head_dim, count, out + i * out_stride, out_stride);
    else values_width<1>(p + i * p_stride, p_stride, v, head_dim, count, out + i * out_stride, out_stride);
  }
}
}  // namespace

AttentionKernels attention_neon() { return {scores, values, "neon"}; }

}  // namespace specgap::cpu
