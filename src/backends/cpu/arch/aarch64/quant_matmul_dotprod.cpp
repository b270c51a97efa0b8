// NEON + SDOT (FEAT_DotProd) matmul kernels over the packed 16-row groups (quant_layout.h), with
// the weights in the signed coding (quant_matmul.h). A 64-byte step vector is four 16-byte registers
// of 4 rows each; SDOT by element (vdotq_laneq_s32) multiplies one of them by 4 activation bytes
// taken from one 32-bit lane of another register, adding a step to 4 row sums. So one register of
// activations serves 4 steps, with no broadcast and no horizontal sum.
// A group is processed Q row quads (4 rows each) and T tokens at a time: a tile's weights are loaded
// and unpacked once and used T times (prefill), and decode (T = 1) takes all 4 quads of a block in one
// pass, so that each cache line of the group is read once. Q and T are chosen per type so that the
// accumulators, activations and unpacked weights fit the 32 vector registers.
// The float steps match quant_matmul_generic.cpp operation for operation, so results are identical.
#include <arm_neon.h>

#include "backends/cpu/arch/aarch64/arm_llm_kernels.h"
#include "backends/cpu/arch/aarch64/neon_blocks.h"
#include "backends/cpu/quant_tiles.h"

namespace specgap::cpu {
namespace {

// SDOT by element takes its lane as an immediate: once the loops are unrolled `lane` is a constant
// and the switch folds away (and an unoptimised build still compiles).
inline int32x4_t dot_lane(int32x4_t acc, int8x16_t w, int8x16_t a, int lane) {
  switch (lane) {
    case 0: return vdotq_laneq_s32(acc, w, a, 0);
    case 1: return vdotq_laneq_s32(acc, w, a, 1);
    case 2: return vdotq_laneq_s32(acc, w, a, 2);
    default: return vdotq_laneq_s32(acc, w, a, 3);
  }
}

inline int32x4_t sbytes4(const uint8_t* p) {
  uint32_t v;
  __builtin_memcpy(&v, p, 4);
  return vmovl_s16(vget_low_s16(vmovl_s8(vcreate_s8(v))));
}

inline const ActQ8x256* act256(const GroupArgs& g, int t, int64_t sb) {
  return reinterpret_cast<const ActQ8x256*>(g.act + t * g.act_stride) + sb;
}

// Row quads q0..q0+Q-1 of a group for T tokens, over every 32-column block.
template <class B, int T, int Q>
void block32_tile(const GroupArgs& g, int q0) {
  float32x4_t acc[T][Q];
#pragma GCC unroll 16
  for (int t = 0; t < T; ++t)
#pragma GCC unroll 4
    for (int j = 0; j < Q; ++j) acc[t][j] = vdupq_n_f32(0);
  for (int64_t kb = 0; kb < g.cols / 32; ++kb) {
    const uint8_t* blk = g.group + kb * B::kBlock;
    int8x16_t a[T][2];
#pragma GCC unroll 16
    for (int t = 0; t < T; ++t) {
      a[t][0] = vld1q_s8(act32(g, t, kb)->qs);
      a[t][1] = vld1q_s8(act32(g, t, kb)->qs + 16);
    }
#pragma GCC unroll 4
    for (int j = 0; j < Q; ++j) {
      // Each pair of steps is unpacked once and used by every token; T x Q sums are in flight.
      int32x4_t s[T];
#pragma GCC unroll 16
      for (int t = 0; t < T; ++t) s[t] = vdupq_n_s32(act32(g, t, kb)->bias);
#pragma GCC unroll 4
      for (int v = 0; v < 4; ++v) {
        int8x16_t lo, hi;
        B::steps(blk, q0 + j, v, lo, hi);
#pragma GCC unroll 16
        for (int t = 0; t < T; ++t) s[t] = dot_lane(dot_lane(s[t], lo, a[t][0], v), hi, a[t][1], v);
      }
      const float32x4_t sc = B::scales(blk, q0 + j);
#pragma GCC unroll 16
      for (int t = 0; t < T; ++t)
        acc[t][j] = vfmaq_f32(acc[t][j], vcvtq_f32_s32(s[t]), vmulq_n_f32(sc, act32(g, t, kb)->d));
    }
  }
#pragma GCC unroll 16
  for (int t = 0; t < T; ++t)
#pragma GCC unroll 4
    for (int j = 0; j < Q; ++j) store_quad(g, t, q0 + j, acc[t][j]);
}

// Q4_K: value = d*sc_j*q - dmin*m_j per sub-block j (quant_matmul_generic.cpp's q4_k_row).
template <int T, int Q>
void q4_k_tile(const GroupArgs& g, int q0) {
  const uint8x16_t m4 = vdupq_n_u8(0x0F);
  float32x4_t acc[T][Q];
#pragma GCC unroll 16
  for (int t = 0; t < T; ++t)
#pragma GCC unroll 4
    for (int j = 0; j < Q; ++j) acc[t][j] = vdupq_n_f32(0);
  for (int64_t sb = 0; sb < g.cols / 256; ++sb) {
    const uint8_t* blk = g.group + sb * L::q4_k::kBlock;
    int32x4_t isum[T][Q];
#pragma GCC unroll 16
    for (int t = 0; t < T; ++t)
#pragma GCC unroll 4
      for (int j = 0; j < Q; ++j) isum[t][j] = vdupq_n_s32(0);
    // Chunks are not unrolled: the lanes are constants within one already, and the code stays small.
#pragma GCC unroll 1
    for (int c = 0; c < 4; ++c) {
      // Chunk c: sub-blocks 2c (low nibbles) and 2c + 1 (high), activations qs[64c .. 64c + 63].
      int8x16_t a[T][4];
#pragma GCC unroll 16
      for (int t = 0; t < T; ++t)
#pragma GCC unroll 4
        for (int i = 0; i < 4; ++i) a[t][i] = vld1q_s8(act256(g, t, sb)->qs + 64 * c + 16 * i);
      int32x4_t s_lo[T][Q], s_hi[T][Q];
#pragma GCC unroll 16
      for (int t = 0; t < T; ++t)
#pragma GCC unroll 4
        for (int j = 0; j < Q; ++j) s_lo[t][j] = s_hi[t][j] = vdupq_n_s32(0);
#pragma GCC unroll 8
      for (int v = 0; v < 8; ++v)
#pragma GCC unroll 4
        for (int j = 0; j < Q; ++j) {
          const uint8x16_t x = vld1q_u8(blk + L::q4_k::kQuants + 512 * c + 64 * v + 16 * (q0 + j));
          const int8x16_t lo = vreinterpretq_s8_u8(vandq_u8(x, m4)), hi = vreinterpretq_s8_u8(vshrq_n_u8(x, 4));
#pragma GCC unroll 16
          for (int t = 0; t < T; ++t) {
            s_lo[t][j] = dot_lane(s_lo[t][j], lo, a[t][v / 4], v % 4);
            s_hi[t][j] = dot_lane(s_hi[t][j], hi, a[t][2 + v / 4], v % 4);
          }
        }
#pragma GCC unroll 4
      for (int j = 0; j < Q; ++j) {
        const int32x4_t sc_lo = vreinterpretq_s32_u32(ubytes4(blk + L::q4_k::kScales + 16 * (2 * c) + 4 * (q0 + j)));
        const int32x4_t sc_hi = vreinterpretq_s32_u32(ubytes4(blk + L::q4_k::kScales + 16 * (2 * c + 1) + 4 * (q0 + j)));
#pragma GCC unroll 16
        for (int t = 0; t < T; ++t)
          isum[t][j] = vaddq_s32(isum[t][j], vaddq_s32(vmulq_s32(s_lo[t][j], sc_lo), vmulq_s32(s_hi[t][j], sc_hi)));
      }
    }
#pragma GCC unroll 4
    for (int j = 0; j < Q; ++j) {
      const int q = q0 + j;
      const float32x4_t d = halves4(blk + L::q4_k::kD + 8 * q), dmin = halves4(blk + L::q4_k::kDmin + 8 * q);
#pragma GCC unroll 16
      for (int t = 0; t < T; ++t) {
        const ActQ8x256* at = act256(g, t, sb);
        int32x4_t msum = vdupq_n_s32(0);
#pragma GCC unroll 8
        for (int k = 0; k < 8; ++k)
          msum = vmlaq_n_s32(msum, vreinterpretq_s32_u32(ubytes4(blk + L::q4_k::kMins + 16 * k + 4 * q)),
                             at->bsums[2 * k] + at->bsums[2 * k + 1]);
        const float32x4_t u = vfmsq_f32(vmulq_f32(d, vcvtq_f32_s32(isum[t][j])), dmin, vcvtq_f32_s32(msum));
        acc[t][j] = vfmaq_f32(acc[t][j], u, vdupq_n_f32(at->d));
      }
    }
  }
#pragma GCC unroll 16
  for (int t = 0; t < T; ++t)
#pragma GCC unroll 4
    for (int j = 0; j < Q; ++j) store_quad(g, t, q0 + j, acc[t][j]);
}

// Quarter k of a Q6_K step from its packed vectors X, Y, Z (quant_layout.h): the 6-bit quants 0..63.
// SLI (shift left and insert) puts the top bit pair above the low nibble in one operation.
inline int8x16_t q6_k_quarter(uint8x16_t x, uint8x16_t y, uint8x16_t z, int k) {
  const uint8x16_t six = vdupq_n_u8(0x3F);
  switch (k) {
    case 0: return vreinterpretq_s8_u8(vandq_u8(x, six));
    case 1: return vreinterpretq_s8_u8(vandq_u8(y, six));
    case 2: return vreinterpretq_s8_u8(vsliq_n_u8(z, vshrq_n_u8(x, 6), 4));
    default: return vreinterpretq_s8_u8(vsliq_n_u8(vshrq_n_u8(z, 4), vshrq_n_u8(y, 6), 4));
  }
}

// Q6_K: value = d*sc_j*(q - 32) per sub-block of 16; the -32 uses the activation sums per 16.
template <int T, int Q>
void q6_k_tile(const GroupArgs& g, int q0) {
  float32x4_t acc[T][Q];
#pragma GCC unroll 16
  for (int t = 0; t < T; ++t)
#pragma GCC unroll 4
    for (int j = 0; j < Q; ++j) acc[t][j] = vdupq_n_f32(0);
  for (int64_t sb = 0; sb < g.cols / 256; ++sb) {
    const uint8_t* blk = g.group + sb * L::q6_k::kBlock;
    int32x4_t isum[T][Q];
#pragma GCC unroll 16
    for (int t = 0; t < T; ++t)
#pragma GCC unroll 4
      for (int j = 0; j < Q; ++j) isum[t][j] = vdupq_n_s32(0);
    // Halves and quads are not unrolled: the lanes are constants within one already.
#pragma GCC unroll 1
    for (int h = 0; h < 2; ++h)
#pragma GCC unroll 1
      for (int quad = 0; quad < 2; ++quad) {
        // Quarter k of half h, steps 4*quad..4*quad+3: sub-block 8h + 2k + quad, whose 16
        // activations are one register.
        int8x16_t a[T][4];
        int32x4_t s[T][Q][4];
#pragma GCC unroll 16
        for (int t = 0; t < T; ++t)
#pragma GCC unroll 4
          for (int k = 0; k < 4; ++k) {
            const ActQ8x256* at = act256(g, t, sb);
            a[t][k] = vld1q_s8(at->qs + 128 * h + 32 * k + 16 * quad);
#pragma GCC unroll 4
            for (int j = 0; j < Q; ++j) s[t][j][k] = vdupq_n_s32(-32 * at->bsums[8 * h + 2 * k + quad]);
          }
#pragma GCC unroll 4
        for (int lane = 0; lane < 4; ++lane)
#pragma GCC unroll 4
          for (int j = 0; j < Q; ++j) {
            const int v = 4 * quad + lane;
            const size_t off = 16 * static_cast<size_t>(q0 + j);
            const uint8x16_t x = vld1q_u8(blk + L::q6_k::vector(h, v, 0) + off);
            const uint8x16_t y = vld1q_u8(blk + L::q6_k::vector(h, v, 1) + off);
            const uint8x16_t z = vld1q_u8(blk + L::q6_k::vector(h, v, 2) + off);
#pragma GCC unroll 4
            for (int k = 0; k < 4; ++k) {
              const int8x16_t w = q6_k_quarter(x, y, z, k);
#pragma GCC unroll 16
              for (int t = 0; t < T; ++t) s[t][j][k] = dot_lane(s[t][j][k], w, a[t][k], lane);
            }
          }
#pragma GCC unroll 4
        for (int j = 0; j < Q; ++j)
#pragma GCC unroll 4
          for (int k = 0; k < 4; ++k) {
            const int32x4_t sc = sbytes4(blk + L::q6_k::kScales + 16 * (8 * h + 2 * k + quad) + 4 * (q0 + j));
#pragma GCC unroll 16
            for (int t = 0; t < T; ++t) isum[t][j] = vmlaq_s32(isum[t][j], s[t][j][k], sc);
          }
      }
#pragma GCC unroll 4
    for (int j = 0; j < Q; ++j) {
      const float32x4_t d = halves4(blk + L::q6_k::kD + 8 * (q0 + j));
#pragma GCC unroll 16
      for (int t = 0; t < T; ++t)
        acc[t][j] = vfmaq_f32(acc[t][j], vcvtq_f32_s32(isum[t][j]), vmulq_n_f32(d, act256(g, t, sb)->d));
    }
  }
#pragma GCC unroll 16
  for (int t = 0; t < T; ++t)
#pragma GCC unroll 4
    for (int j = 0; j < Q; ++j) store_quad(g, t, q0 + j, acc[t][j]);
}

// A whole group for T tokens, in passes of Q row quads. Q from the registers a tile holds
// (accumulators, activations, unpacked weights): decode takes as many quads as fit, ideally all 4, so
// that it reads the group once.
template <int T> constexpr int kQuads = T == 1 ? 4 : 2;  // Q4_0, Q8_0, MXFP4 (tiles of up to 4)
template <int T> constexpr int kKQuads = T == 1 ? 4 : 1;  // Q4_K (tiles of up to 2): 2 sums per quad
template <int T> constexpr int kQ6Quads = 2 / T;         // Q6_K (tiles of up to 2): 4 sums per quad
template <int T> struct Q4_0 {
  static void run(const GroupArgs& g) { for (int q = 0; q < 4; q += kQuads<T>) block32_tile<Q4_0Steps, T, kQuads<T>>(g, q); }
};
template <int T> struct Q8_0 {
  static void run(const GroupArgs& g) { for (int q = 0; q < 4; q += kQuads<T>) block32_tile<Q8_0Steps, T, kQuads<T>>(g, q); }
};
template <int T> struct MXFP4 {
  static void run(const GroupArgs& g) { for (int q = 0; q < 4; q += kQuads<T>) block32_tile<MXFP4Steps, T, kQuads<T>>(g, q); }
};
template <int T> struct Q4_K {
  static void run(const GroupArgs& g) { for (int q = 0; q < 4; q += kKQuads<T>) q4_k_tile<T, kKQuads<T>>(g, q); }
};
template <int T> struct Q6_K {
  static void run(const GroupArgs& g) { for (int q = 0; q < 4; q += kQ6Quads<T>) q6_k_tile<T, kQ6Quads<T>>(g, q); }
};

// Float weights, 16 rows as stored: one token at a time (prefill with float weights rereads the group
// from cache), one accumulator per row, each reduced once at the end. Rows are a multiple of 4
// columns long, as the x86 kernels assume a multiple of 16 (every model's are).
template <GgmlType W>
inline float32x4_t load_weights(const uint8_t* row, int64_t c) {
  if constexpr (W == GgmlType::f32) return vld1q_f32(reinterpret_cast<const float*>(row) + c);
  if constexpr (W == GgmlType::f16) return halves4(row + 2 * c);
  return vreinterpretq_f32_u32(vshll_n_u16(vld1_u16(reinterpret_cast<const uint16_t*>(row) + c), 16));  // bf16: fp32's top half
}

template <GgmlType W>
void float_group(const GroupArgs& g, int64_t n_tokens) {
  constexpr int64_t kElem = W == GgmlType::f32 ? 4 : 2;
  for (int64_t tok = 0; tok < n_tokens; ++tok) {
    const float* x = reinterpret_cast<const float*>(g.act + tok * g.act_stride);
    float32x4_t acc[16];
#pragma GCC unroll 16
    for (int r = 0; r < 16; ++r) acc[r] = vdupq_n_f32(0);
    for (int64_t c = 0; c < g.cols; c += 4) {
      const float32x4_t xv = vld1q_f32(x + c);
#pragma GCC unroll 16
      for (int r = 0; r < 16; ++r) acc[r] = vfmaq_f32(acc[r], load_weights<W>(g.group + r * g.cols * kElem, c), xv);
    }
    // Every row reduced, so that acc stays in registers; only the rows that exist stored.
    float sums[16];
#pragma GCC unroll 16
    for (int r = 0; r < 16; ++r) sums[r] = vaddvq_f32(acc[r]);
    for (int r = 0; r < g.rows; ++r) g.out[tok * g.out_stride + r] = sums[r];
  }
}

template <GgmlType W>
void matmul(const std::byte* packed, int64_t rows, int64_t cols, int64_t g0, int64_t g1, const std::byte* act,
            size_t act_stride, int64_t n_tokens, float* out, int64_t out_stride) {
  over_groups(packed, packed_group_bytes(W, cols), rows, cols, g0, g1, act, act_stride, n_tokens, out, out_stride,
              [](const GroupArgs& g, int64_t block) {
                if constexpr (W == GgmlType::q4_0) Tiles<Q4_0, 4, GroupArgs>::run(g, block);
                else if constexpr (W == GgmlType::q8_0) Tiles<Q8_0, 4, GroupArgs>::run(g, block);
                else if constexpr (W == GgmlType::mxfp4) Tiles<MXFP4, 4, GroupArgs>::run(g, block);
                else if constexpr (W == GgmlType::q4_k) Tiles<Q4_K, 2, GroupArgs>::run(g, block);
                else if constexpr (W == GgmlType::q6_k) Tiles<Q6_K, 2, GroupArgs>::run(g, block);
                else float_group<W>(g, block);
              });
}
}  // namespace

MatmulFn matmul_neon_dotprod(GgmlType t) {
  switch (t) {
    case GgmlType::q4_0: return matmul<GgmlType::q4_0>;
    case GgmlType::q8_0: return matmul<GgmlType::q8_0>;
    case GgmlType::mxfp4: return matmul<GgmlType::mxfp4>;
    case GgmlType::q4_k: return matmul<GgmlType::q4_k>;
    case GgmlType::q6_k: return matmul<GgmlType::q6_k>;
    case GgmlType::f32: return matmul<GgmlType::f32>;
    case GgmlType::f16: return matmul<GgmlType::f16>;
    case GgmlType::bf16: return matmul<GgmlType::bf16>;
    default: return nullptr;
  }
}

}  // namespace specgap::cpu
