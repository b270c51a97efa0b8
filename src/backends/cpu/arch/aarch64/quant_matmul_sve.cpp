// SVE matmul kernels for the 32-column block types (Q4_0, Q8_0, MXFP4) over the packed 16-row groups
// (quant_layout.h), with the weights in the signed coding (quant_matmul.h), vector length agnostic.
// SVE's SDOT by element takes its 4 activation bytes from the given 32-bit lane of each 128-bit
// segment of its operand, so the 16 activation bytes of a block's half are replicated to every segment
// (LD1RQB) and one SDOT adds a step to as many rows as the vector holds 4-byte groups: a 64-byte step
// vector is 4 SVE vectors at 128 bits, 2 at 256, 1 at 512. Longer vectors take one step with the rest
// of the vector idle (a predicate of 64 bytes): no core has them, and 512 bits already do a step per
// SDOT. Lengths that are no power of two (384 bits) use the largest power of two that fits.
// A "part" is the rows one vector covers. A group is processed P parts and T tokens at a time, with
// T x P <= 4 sums and accumulators (SVE types are sizeless, so no arrays: 4 named variables); decode
// (T = 1) takes every part of a block in one pass, so that each cache line is read once.
// The float steps match quant_matmul_generic.cpp operation for operation, so results are identical.
#include <arm_sve.h>

#include "backends/cpu/arch/aarch64/arm_llm_kernels.h"
#include "backends/cpu/arch/aarch64/neon_blocks.h"
#include "backends/cpu/quant_tiles.h"

namespace specgap::cpu {
namespace {

// A loop index as a type, so that it is a constant in the loop body: SDOT's lane is an immediate.
template <int I> struct Index {
  static constexpr int value = I;
};
template <int N, class F>
inline void unroll(F&& body) {
  if constexpr (N > 0) {
    unroll<N - 1>(body);
    body(Index<N - 1>{});
  }
}
// SVE types are sizeless (no arrays of them), and GCC 12 fails on svset4 of a tuple in this code
// (an internal compiler error), so the tiles keep 4 named variables and pick one by a constant.
template <int I, class V>
inline V& pick(V& x0, V& x1, V& x2, V& x3) {
  if constexpr (I == 0) return x0;
  else if constexpr (I == 1) return x1;
  else if constexpr (I == 2) return x2;
  else return x3;
}

// How a block's bytes give up the weights of one part (the bytes at `offset` of each step vector,
// predicate p8) and the scales of its rows (from `row`, predicate p32). Steps come in pairs, v and
// v + 4 (v < 4), as the 4-bit types store them in one byte.
inline svfloat32_t halves(svbool_t p32, const uint8_t* p) {
  const svuint32_t bits = svld1uh_u32(p32, reinterpret_cast<const uint16_t*>(p));
  return svcvt_f32_f16_x(p32, svreinterpret_f16_u32(bits));  // FCVT reads each word's low half
}
inline void nibbles(svbool_t p8, const uint8_t* p, svuint8_t& lo, svuint8_t& hi) {
  const svuint8_t x = svld1_u8(p8, p);
  lo = svand_n_u8_x(p8, x, 0x0F);
  hi = svlsr_n_u8_x(p8, x, 4);
}

struct Q4_0Parts {
  static constexpr size_t kBlock = L::q4_0::kBlock;
  static svfloat32_t scales(svbool_t p32, const uint8_t* blk, int row) { return halves(p32, blk + L::q4_0::kScales + 2 * row); }
  static void steps(svbool_t p8, const uint8_t* blk, int offset, int v, svint8_t& lo, svint8_t& hi) {
    svuint8_t l, h;
    nibbles(p8, blk + L::q4_0::kQuants + 64 * v + offset, l, h);
    lo = svreinterpret_s8_u8(l);
    hi = svreinterpret_s8_u8(h);
  }
};
struct Q8_0Parts {
  static constexpr size_t kBlock = L::q8_0::kBlock;
  static svfloat32_t scales(svbool_t p32, const uint8_t* blk, int row) { return halves(p32, blk + L::q8_0::kScales + 2 * row); }
  static void steps(svbool_t p8, const uint8_t* blk, int offset, int v, svint8_t& lo, svint8_t& hi) {
    const int8_t* q = reinterpret_cast<const int8_t*>(blk + L::q8_0::kQuants + offset);
    lo = svld1_s8(p8, q + 64 * v);
    hi = svld1_s8(p8, q + 64 * (v + 4));
  }
};
// MXFP4: Q4_0's nibbles, each mapped by one TBL (indices 0..15 pick from the first segment, which
// holds the table at every length) to its code's doubled value + 12; the scales 2^(e-128) built as
// the portable kernel's e8m0_half builds them ((e - 1) << 23, or for e < 2 the subnormal
// 0x00200000 << e), bit for bit.
struct MXFP4Parts {
  static constexpr size_t kBlock = L::mxfp4::kBlock;
  static svfloat32_t scales(svbool_t p32, const uint8_t* blk, int row) {
    const svuint32_t e = svld1ub_u32(p32, blk + L::mxfp4::kScales + row);
    const svuint32_t normal = svlsl_n_u32_x(p32, svsub_n_u32_x(p32, e, 1), 23);
    const svuint32_t tiny = svlsl_u32_x(p32, svdup_n_u32(0x00200000), e);
    return svreinterpret_f32_u32(svsel_u32(svcmplt_n_u32(p32, e, 2), tiny, normal));
  }
  static void steps(svbool_t p8, const uint8_t* blk, int offset, int v, svint8_t& lo, svint8_t& hi) {
    const svuint8_t codes = svld1rq_u8(svptrue_b8(), L::mxfp4::kBiasedCodes);
    svuint8_t l, h;
    nibbles(p8, blk + L::mxfp4::kQuants + 64 * v + offset, l, h);
    lo = svreinterpret_s8_u8(svtbl_u8(codes, l));
    hi = svreinterpret_s8_u8(svtbl_u8(codes, h));
  }
};

// V vectors per 64-byte step (4, 2 or 1); a part is the 16 / V rows of one vector.
template <int V> constexpr int kPartBytes = 64 / V;
template <int V> constexpr int kPartRows = 16 / V;
// Parts per pass for T tokens: as many as 4 sums allow.
constexpr int parts_per_pass(int tokens, int vectors) { return tokens * vectors <= 4 ? vectors : parts_per_pass(tokens, vectors / 2); }

// Parts p0..p0+P-1 of a group for T tokens, over every 32-column block. Sum and accumulator i are
// token i / P, part p0 + i % P; the activations' t are token t.
template <class B, int V, int T, int P>
void block32_tile(const GroupArgs& g, int p0) {
  static_assert(T * P <= 4);
  const svbool_t p8 = svwhilelt_b8(0, kPartBytes<V>), p32 = svwhilelt_b32(0, kPartRows<V>), all = svptrue_b8();
  svfloat32_t acc0 = svdup_n_f32(0), acc1 = acc0, acc2 = acc0, acc3 = acc0;
  for (int64_t kb = 0; kb < g.cols / 32; ++kb) {
    const uint8_t* blk = g.group + kb * B::kBlock;
    // Columns 0-15 (lo) and 16-31 (hi) of each token's block, in every 128-bit segment.
    svint8_t lo0, lo1, lo2, lo3, hi0, hi1, hi2, hi3;
    svint32_t s0, s1, s2, s3;
    unroll<T>([&](auto t) {
      const ActQ8x32* a = act32(g, t.value, kb);
      pick<t.value>(lo0, lo1, lo2, lo3) = svld1rq_s8(all, a->qs);
      pick<t.value>(hi0, hi1, hi2, hi3) = svld1rq_s8(all, a->qs + 16);
      unroll<P>([&](auto p) { pick<t.value * P + p.value>(s0, s1, s2, s3) = svdup_n_s32(a->bias); });
    });
    unroll<4>([&](auto v) {
      unroll<P>([&](auto p) {
        // Each pair of steps is unpacked once and used by every token.
        svint8_t w_lo, w_hi;
        B::steps(p8, blk, (p0 + p.value) * kPartBytes<V>, v.value, w_lo, w_hi);
        unroll<T>([&](auto t) {
          svint32_t& s = pick<t.value * P + p.value>(s0, s1, s2, s3);
          s = svdot_lane_s32(s, w_lo, pick<t.value>(lo0, lo1, lo2, lo3), v.value);
          s = svdot_lane_s32(s, w_hi, pick<t.value>(hi0, hi1, hi2, hi3), v.value);
        });
      });
    });
    unroll<P>([&](auto p) {
      const svfloat32_t sc = B::scales(p32, blk, (p0 + p.value) * kPartRows<V>);
      unroll<T>([&](auto t) {
        constexpr int i = t.value * P + p.value;
        const svfloat32_t scale = svmul_n_f32_x(p32, sc, act32(g, t.value, kb)->d);
        svfloat32_t& acc = pick<i>(acc0, acc1, acc2, acc3);
        acc = svmla_f32_x(p32, acc, svcvt_f32_s32_x(p32, pick<i>(s0, s1, s2, s3)), scale);
      });
    });
  }
  unroll<P>([&](auto p) {
    const int row = (p0 + p.value) * kPartRows<V>;
    const int valid = g.rows - row < kPartRows<V> ? g.rows - row : kPartRows<V>;  // <= 0: none
    unroll<T>([&](auto t) {
      svst1_f32(svwhilelt_b32(0, valid), g.out + t.value * g.out_stride + row, pick<t.value * P + p.value>(acc0, acc1, acc2, acc3));
    });
  });
}

template <class B, int V>
struct Block32 {
  template <int T>
  struct Group {
    static void run(const GroupArgs& g) {
      constexpr int kParts = parts_per_pass(T, V);
      for (int p = 0; p < V; p += kParts) block32_tile<B, V, T, kParts>(g, p);
    }
  };
};

template <class B, int V>
void matmul(const std::byte* packed, int64_t rows, int64_t cols, int64_t g0, int64_t g1, const std::byte* act,
            size_t act_stride, int64_t n_tokens, float* out, int64_t out_stride) {
  over_groups(packed, B::kBlock * (cols / 32), rows, cols, g0, g1, act, act_stride, n_tokens, out, out_stride,
              [](const GroupArgs& g, int64_t block) { Tiles<Block32<B, V>::template Group, 4, GroupArgs>::run(g, block); });
}

// The kernel for this process's vector length, read when the kernel is chosen (the length is fixed
// for the process unless it changes it with prctl, which specgap never does).
template <class B>
MatmulFn for_vector_length() {
  const uint64_t bytes = svcntb();
  if (bytes >= 64) return matmul<B, 1>;
  if (bytes >= 32) return matmul<B, 2>;
  return matmul<B, 4>;
}
}  // namespace

MatmulFn matmul_sve(GgmlType t) {
  switch (t) {
    case GgmlType::q4_0: return for_vector_length<Q4_0Parts>();
    case GgmlType::q8_0: return for_vector_length<Q8_0Parts>();
    case GgmlType::mxfp4: return for_vector_length<MXFP4Parts>();
    default: return nullptr;
  }
}

}  // namespace specgap::cpu
