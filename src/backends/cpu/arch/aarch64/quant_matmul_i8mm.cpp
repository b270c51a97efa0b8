// NEON + I8MM (FEAT_I8MM) prefill kernels for the 32-column block types (Q4_0, Q8_0, MXFP4), weights
// in the signed coding (quant_matmul.h). SMMLA multiplies a 2x8 int8 matrix by an 8x2 one into a 2x2
// block of int32 sums: 32 multiply-adds per instruction against SDOT's 16, issued at the same rate on
// Neoverse V1 and V2 (reference/cpu-uarch.md §3.12-3.13), so prefill's integer work takes half the
// instructions.
// The packed layout is SDOT's (quant_layout.h); SMMLA wants 8 consecutive quants of 2 rows in one
// register. A row quad's steps v and v + 4 (one load for the 4-bit types) hold quants 4v..4v+3 and
// 4v+16..4v+19 of its 4 rows; ZIP1 and ZIP2 on 32-bit lanes pair them into rows 0-1 and 2-3, 8 quants
// each. The activations of two tokens are paired the same way once per block (the same 8 quants of
// each), so every weight register serves a pair of tokens, and UZP1/UZP2 turn the 2x2 blocks back
// into each token's 4 row sums. The sums are integers, so the results are the portable kernel's bits.
// Decode (one token) has no second token to pair: it runs the SDOT kernel.
// What it costs here: a block of 4 tokens x 16 rows is 168 instructions in the disassembly (32 SMMLA,
// 32 ZIPs of weights) against the SDOT kernel's 150 (64 SDOT), all on the same vector pipes; so
// arch_kernels.cpp offers it second, to be measured on I8MM hardware. The win needs rows paired at
// packing (a layout of its own, with its own packer), which would drop the 32 ZIPs.
#include <arm_neon.h>

#include "backends/cpu/arch/aarch64/arm_llm_kernels.h"
#include "backends/cpu/arch/aarch64/neon_blocks.h"
#include "backends/cpu/quant_tiles.h"

namespace specgap::cpu {
namespace {

// Row quads q0..q0+Q-1 of a group for T tokens, taken in pairs (an odd last token is paired with
// itself, and its twin's sums are dropped).
template <class B, int T, int Q>
void block32_tile(const GroupArgs& g, int q0) {
  constexpr int P = (T + 1) / 2;
  float32x4_t acc[T][Q];
#pragma GCC unroll 8
  for (int t = 0; t < T; ++t)
#pragma GCC unroll 4
    for (int j = 0; j < Q; ++j) acc[t][j] = vdupq_n_f32(0);
  for (int64_t kb = 0; kb < g.cols / 32; ++kb) {
    const uint8_t* blk = g.group + kb * B::kBlock;
    // b[p][v]: the 8 quants of steps v and v + 4 of token 2p (low half) and of token 2p + 1 (high).
    int32x4_t b[P][4];
#pragma GCC unroll 4
    for (int p = 0; p < P; ++p) {
      int32x4_t z[2][2];  // [token of the pair][steps 0-1 or 2-3]
#pragma GCC unroll 2
      for (int i = 0; i < 2; ++i) {
        const ActQ8x32* a = act32(g, 2 * p + i < T ? 2 * p + i : T - 1, kb);
        const int32x4_t a0 = vreinterpretq_s32_s8(vld1q_s8(a->qs)), a1 = vreinterpretq_s32_s8(vld1q_s8(a->qs + 16));
        z[i][0] = vzip1q_s32(a0, a1);
        z[i][1] = vzip2q_s32(a0, a1);
      }
#pragma GCC unroll 2
      for (int h = 0; h < 2; ++h) {
        b[p][2 * h] = vreinterpretq_s32_s64(vzip1q_s64(vreinterpretq_s64_s32(z[0][h]), vreinterpretq_s64_s32(z[1][h])));
        b[p][2 * h + 1] = vreinterpretq_s32_s64(vzip2q_s64(vreinterpretq_s64_s32(z[0][h]), vreinterpretq_s64_s32(z[1][h])));
      }
    }
#pragma GCC unroll 4
    for (int j = 0; j < Q; ++j) {
      int32x4_t rows01[P], rows23[P];  // lanes: (row, token) = (0, 2p), (0, 2p + 1), (1, 2p), (1, 2p + 1)
#pragma GCC unroll 4
      for (int p = 0; p < P; ++p) rows01[p] = rows23[p] = vdupq_n_s32(0);
#pragma GCC unroll 4
      for (int v = 0; v < 4; ++v) {
        int8x16_t lo, hi;
        B::steps(blk, q0 + j, v, lo, hi);
        const int8x16_t w01 = vreinterpretq_s8_s32(vzip1q_s32(vreinterpretq_s32_s8(lo), vreinterpretq_s32_s8(hi)));
        const int8x16_t w23 = vreinterpretq_s8_s32(vzip2q_s32(vreinterpretq_s32_s8(lo), vreinterpretq_s32_s8(hi)));
#pragma GCC unroll 4
        for (int p = 0; p < P; ++p) {
          rows01[p] = vmmlaq_s32(rows01[p], w01, vreinterpretq_s8_s32(b[p][v]));
          rows23[p] = vmmlaq_s32(rows23[p], w23, vreinterpretq_s8_s32(b[p][v]));
        }
      }
      const float32x4_t sc = B::scales(blk, q0 + j);
#pragma GCC unroll 8
      for (int t = 0; t < T; ++t) {
        const int p = t / 2;
        const int32x4_t sums = t % 2 == 0 ? vuzp1q_s32(rows01[p], rows23[p]) : vuzp2q_s32(rows01[p], rows23[p]);
        const ActQ8x32* a = act32(g, t, kb);
        const int32x4_t s = vaddq_s32(vdupq_n_s32(a->bias), sums);
        acc[t][j] = vfmaq_f32(acc[t][j], vcvtq_f32_s32(s), vmulq_n_f32(sc, a->d));
      }
    }
  }
#pragma GCC unroll 8
  for (int t = 0; t < T; ++t)
#pragma GCC unroll 4
    for (int j = 0; j < Q; ++j) store_quad(g, t, q0 + j, acc[t][j]);
}

// Two quads per pass: 2 x 2 pairs of sums, 8 float accumulators and 8 paired activations fit the
// 32 registers beside the unpacked weights.
template <class B>
struct Block32 {
  template <int T>
  struct Tile {
    static void run(const GroupArgs& g) {
      for (int q = 0; q < 4; q += 2) block32_tile<B, T, 2>(g, q);
    }
  };
};

template <GgmlType W, class B>
void matmul(const std::byte* packed, int64_t rows, int64_t cols, int64_t g0, int64_t g1, const std::byte* act,
            size_t act_stride, int64_t n_tokens, float* out, int64_t out_stride) {
  if (n_tokens == 1)
    return matmul_neon_dotprod(W)(packed, rows, cols, g0, g1, act, act_stride, n_tokens, out, out_stride);
  over_groups(packed, packed_group_bytes(W, cols), rows, cols, g0, g1, act, act_stride, n_tokens, out, out_stride,
              [](const GroupArgs& g, int64_t block) { Tiles<Block32<B>::template Tile, 4, GroupArgs>::run(g, block); });
}
}  // namespace

MatmulFn matmul_neon_i8mm(GgmlType t) {
  switch (t) {
    case GgmlType::q4_0: return matmul<GgmlType::q4_0, Q4_0Steps>;
    case GgmlType::q8_0: return matmul<GgmlType::q8_0, Q8_0Steps>;
    case GgmlType::mxfp4: return matmul<GgmlType::mxfp4, MXFP4Steps>;
    default: return nullptr;
  }
}

}  // namespace specgap::cpu
