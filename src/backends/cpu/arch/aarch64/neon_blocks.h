#pragma once
// What the NEON matmul files over the packed 16-row groups share (quant_layout.h): the group's
// arguments, its stores, and how the 32-column block types give up their steps and scales for a quad
// of 4 rows (one 16-byte quarter of each 64-byte step vector).
// Everything here has internal linkage: each ISA file compiles its own copy with its own -march, so
// the linker can never merge an I8MM file's copy into the code of a core without I8MM.
#include <arm_neon.h>

#include "backends/cpu/quant_layout.h"
#include "backends/cpu/quant_matmul.h"

namespace specgap::cpu {
namespace {  // one copy per ISA file, on purpose (see above)
namespace L = layout;

inline float32x4_t halves4(const uint8_t* p) {
  return vcvt_f32_f16(vreinterpret_f16_u16(vld1_u16(reinterpret_cast<const uint16_t*>(p))));
}
inline uint32x4_t ubytes4(const uint8_t* p) {
  uint32_t v;
  __builtin_memcpy(&v, p, 4);
  return vmovl_u16(vget_low_u16(vmovl_u8(vcreate_u8(v))));
}

// Arguments every group kernel takes: its packed bytes, its activations and where its 16 outputs go.
struct GroupArgs {
  const uint8_t* group;
  int64_t cols;
  const uint8_t* act;  // token 0 of the tile
  size_t act_stride;
  float* out;          // token 0 of the tile, row 0 of the group
  int64_t out_stride;
  int rows;            // how many of the 16 rows exist
};

// Runs group_tiles(g, n) for every group of [g0, g1), over tokens in blocks whose activations stay in
// L2 while every group of the thread's range passes over them (a group's 16 rows stay in L1 across
// its tiles). group_bytes is one packed group's size.
template <class F>
inline void over_groups(const std::byte* packed, size_t group_bytes, int64_t rows, int64_t cols, int64_t g0,
                        int64_t g1, const std::byte* act, size_t act_stride, int64_t n_tokens, float* out,
                        int64_t out_stride, F&& group_tiles) {
  constexpr int64_t kTokenBlock = 64;
  for (int64_t tok0 = 0; tok0 < n_tokens; tok0 += kTokenBlock) {
    const int64_t block = n_tokens - tok0 < kTokenBlock ? n_tokens - tok0 : kTokenBlock;
    for (int64_t grp = g0; grp < g1; ++grp) {
      const int64_t first = grp * 16;
      group_tiles(GroupArgs{reinterpret_cast<const uint8_t*>(packed) + grp * group_bytes, cols,
                            reinterpret_cast<const uint8_t*>(act) + tok0 * act_stride, act_stride,
                            out + tok0 * out_stride + first, out_stride,
                            static_cast<int>(rows - first < 16 ? rows - first : 16)},
                  block);
    }
  }
}

// Rows 4q..4q+3 of token t, those that exist.
inline void store_quad(const GroupArgs& g, int t, int q, float32x4_t v) {
  float* dst = g.out + t * g.out_stride + 4 * q;
  const int valid = g.rows - 4 * q;
  if (valid >= 4) return vst1q_f32(dst, v);
  if (valid > 0) vst1q_lane_f32(dst, v, 0);
  if (valid > 1) vst1q_lane_f32(dst + 1, v, 1);
  if (valid > 2) vst1q_lane_f32(dst + 2, v, 2);
}

inline const ActQ8x32* act32(const GroupArgs& g, int t, int64_t kb) {
  return reinterpret_cast<const ActQ8x32*>(g.act + t * g.act_stride) + kb;
}

// Q4_0, Q8_0 and MXFP4 blocks differ only in how the steps and scales of a row quad come out of a
// block's bytes. Steps come in pairs, v and v + 4 (v < 4), as the 4-bit types store them in one byte:
// their activations are lane v of the block's first and of its second register.
struct Q4_0Steps {
  static constexpr size_t kBlock = L::q4_0::kBlock;
  static float32x4_t scales(const uint8_t* blk, int q) { return halves4(blk + L::q4_0::kScales + 8 * q); }
  static void steps(const uint8_t* blk, int q, int v, int8x16_t& lo, int8x16_t& hi) {
    const uint8x16_t x = vld1q_u8(blk + L::q4_0::kQuants + 64 * v + 16 * q);
    lo = vreinterpretq_s8_u8(vandq_u8(x, vdupq_n_u8(0x0F)));
    hi = vreinterpretq_s8_u8(vshrq_n_u8(x, 4));
  }
};
struct Q8_0Steps {
  static constexpr size_t kBlock = L::q8_0::kBlock;
  static float32x4_t scales(const uint8_t* blk, int q) { return halves4(blk + L::q8_0::kScales + 8 * q); }
  static void steps(const uint8_t* blk, int q, int v, int8x16_t& lo, int8x16_t& hi) {
    lo = vld1q_s8(reinterpret_cast<const int8_t*>(blk + L::q8_0::kQuants + 64 * v + 16 * q));
    hi = vld1q_s8(reinterpret_cast<const int8_t*>(blk + L::q8_0::kQuants + 64 * (v + 4) + 16 * q));
  }
};
// MXFP4: Q4_0's nibbles, each mapped by one TBL to its code's doubled value + 12; the rows' scales
// 2^(e-128) built from the exponent bytes as the portable kernel's e8m0_half builds them (the float
// whose bits are (e - 1) << 23, or for e < 2 the subnormal 0x00200000 << e), bit for bit.
struct MXFP4Steps {
  static constexpr size_t kBlock = L::mxfp4::kBlock;
  static float32x4_t scales(const uint8_t* blk, int q) {
    const uint32x4_t e = ubytes4(blk + L::mxfp4::kScales + 4 * q);
    const uint32x4_t normal = vshlq_n_u32(vsubq_u32(e, vdupq_n_u32(1)), 23);
    const uint32x4_t tiny = vshlq_u32(vdupq_n_u32(0x00200000), vreinterpretq_s32_u32(e));
    return vreinterpretq_f32_u32(vbslq_u32(vcltq_u32(e, vdupq_n_u32(2)), tiny, normal));
  }
  static void steps(const uint8_t* blk, int q, int v, int8x16_t& lo, int8x16_t& hi) {
    const uint8x16_t codes = vld1q_u8(L::mxfp4::kBiasedCodes);
    const uint8x16_t x = vld1q_u8(blk + L::mxfp4::kQuants + 64 * v + 16 * q);
    lo = vreinterpretq_s8_u8(vqtbl1q_u8(codes, vandq_u8(x, vdupq_n_u8(0x0F))));
    hi = vreinterpretq_s8_u8(vqtbl1q_u8(codes, vshrq_n_u8(x, 4)));
  }
};

}  // namespace
}  // namespace specgap::cpu
