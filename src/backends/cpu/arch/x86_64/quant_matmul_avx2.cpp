// AVX2 (+ FMA, F16C) matmul kernels over the packed 16-row groups (quant_layout.h), for the many x86
// cores without AVX-512 VNNI (Zen 2/3, most desktop Intel). A 64-byte packed vector holds 4 quants of
// 16 rows; a 256-bit register takes its half for 8 rows (rows 0-7, then 8-15), and each group is done
// as two such halves over the same bytes. Without VNNI, vpmaddubsw multiplies unsigned weight bytes by
// signed activation bytes into 16-bit pair sums and vpmaddwd adds the pairs into the 8 row sums.
// The pair sums must not saturate, which decides how far each type may sum in 16 bits (see each
// kernel). Integer sums are exact and the float steps are the portable kernel's, so results equal
// quant_matmul_generic.cpp bit for bit.
#include <immintrin.h>
#include <vector>

#include "backends/cpu/arch/x86_64/q6_k_quarters.h"
#include "backends/cpu/arch/x86_64/x86_weight_reads.h"
#include "backends/cpu/arch/x86_64/x86_tables.h"
#include "backends/cpu/quant_layout.h"
#include "backends/cpu/quant_tiles.h"

namespace specgap::cpu {
namespace {
namespace L = layout;

inline __m256i bcast4(const int8_t* p) {
  int32_t v;
  __builtin_memcpy(&v, p, 4);
  return _mm256_set1_epi32(v);
}
// Half h (rows 8h..8h+7) of the packed 64-byte vector at p.
inline __m256i load_half(const uint8_t* p, int h) { return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32 * h)); }
// The 8 fp16 values of half h of 16 at p.
inline __m256 halves(const uint8_t* p, int h) {
  return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * h)));
}
inline __m256i bytes_to_i32(const uint8_t* p) { return _mm256_cvtepu8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p))); }
inline __m256i sbytes_to_i32(const uint8_t* p) { return _mm256_cvtepi8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p))); }
inline __m256i pairs_to_i32(__m256i pairs) { return _mm256_madd_epi16(pairs, _mm256_set1_epi16(1)); }
// Holds a running sum in a register at this point of the loop. Integer adds may be reassociated, and
// GCC used that to compute a block's products ahead of their sum, parking them in stack spills (83
// vectors per Q6_K super-block): one core in L2, two cores from memory and Q6_K's share of decode all
// ran 10-25% faster with the sums kept in order.
inline void in_order(__m256i& sum) { asm("" : "+x"(sum)); }

// Q4_0's and Q8_0's small blocks prefetch 1 KiB ahead at the start of each block, where
// prefetch_weights() says so (Zen 3, two cores, runs paired with the read kernel: 1 and 2 KiB alike,
// 3 and 4 KiB 4-7% slower for Q8_0; Q4_0 in two streams gained about 4% from 2 KiB to 1).
constexpr size_t kPrefetchAhead = 1024;

struct GroupArgs {
  const uint8_t* group;
  int64_t cols;
  const uint8_t* act;  // token 0 of the tile
  size_t act_stride;
  float* out;          // token 0 of the tile, row 0 of the group
  int64_t out_stride;
  int valid;           // rows of the 16 that exist
  Prefetch prefetch;   // prefetch_weights()
};

// Stores the 8 results of half h, only the rows that exist.
inline void store_half(float* out, int h, int valid, __m256 v) {
  const int n = valid - 8 * h;
  if (n >= 8) {
    _mm256_storeu_ps(out + 8 * h, v);
  } else if (n > 0) {
    alignas(32) float tmp[8];
    _mm256_store_ps(tmp, v);
    for (int i = 0; i < n; ++i) out[8 * h + i] = tmp[i];
  }
}

// The 32-column block types. Q4_0 and MXFP4 hold nibbles (MXFP4's mapped by one vpshufb to its
// code's doubled value + 12); Q8_0 holds bytes. kFlush: the nibble steps (of 4) whose pair sums
// may add up in 16 bits before one vpmaddwd widens them: a pair sum is at most 2 x 15 x 128 = 3840
// for Q4_0 (all 4 steps, lo and hi: 30720 < 32767) and 2 x 24 x 128 = 6144 for MXFP4 (2 steps:
// 24576). A block's result is its integer sum x scales(blk, h) x (the activations' d x kActD).
template <GgmlType W> struct Block32;
template <> struct Block32<GgmlType::q4_0> {
  static constexpr size_t kBlock = L::q4_0::kBlock, kQuants = L::q4_0::kQuants;
  static constexpr bool kNibbles = true;
  static constexpr int kFlush = 4;
  static constexpr float kActD = 1.0f;
  static __m256i map(__m256i nibbles) { return nibbles; }
  static __m256 scales(const uint8_t* blk, int h) { return halves(blk + L::q4_0::kScales, h); }
};
template <> struct Block32<GgmlType::mxfp4> {
  static constexpr size_t kBlock = L::mxfp4::kBlock, kQuants = L::mxfp4::kQuants;
  static constexpr bool kNibbles = true;
  static constexpr int kFlush = 2;
  static __m256i map(__m256i nibbles) {
    const __m256i codes = _mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(L::mxfp4::kBiasedCodes)));
    return _mm256_shuffle_epi8(codes, nibbles);
  }
  // The scales doubled, 2^(e-127) for rows 8h..8h+7: the E8M0 byte shifted into a float's exponent,
  // e = 0 raised to the subnormal 2^-127 (three operations; 2^(e-128) itself took seven, 6% of a
  // decode block's). The activations' d is halved to match: it is an fp16 value, so halving it is
  // exact, and each block's factor is the portable kernel's e8m0_half(e) x d bit for bit. e = 255
  // (NaN in E8M0) would give infinity: pack_groups refuses it.
  static constexpr float kActD = 0.5f;
  static __m256 scales(const uint8_t* blk, int h) {
    const __m256i e = bytes_to_i32(blk + L::mxfp4::kScales + 8 * h);
    return _mm256_castsi256_ps(_mm256_max_epu32(_mm256_slli_epi32(e, 23), _mm256_set1_epi32(0x00400000)));
  }
};
template <> struct Block32<GgmlType::q8_0> {
  static constexpr size_t kBlock = L::q8_0::kBlock, kQuants = L::q8_0::kQuants;
  static constexpr bool kNibbles = false;
  static constexpr float kActD = 1.0f;
  static __m256 scales(const uint8_t* blk, int h) { return halves(blk + L::q8_0::kScales, h); }
};

// T tokens of one group (prefill): one half at a time over all blocks (a group of 16 rows stays in
// L1 or L2 for the second half), each step's weights loaded and unpacked once for the T tokens. The
// integer sums are those of block32_streams (decode, below), added in another order, exactly.
template <GgmlType W, int T>
void block32_group(const GroupArgs& g) {
  using B = Block32<W>;
  constexpr size_t kBlock = B::kBlock;
  const __m256i m4 = _mm256_set1_epi8(0x0F), flip = _mm256_set1_epi8(static_cast<char>(0x80));
  for (int h = 0; h < 2 && 8 * h < g.valid; ++h) {
    __m256 acc[T];
#pragma GCC unroll 8
    for (int t = 0; t < T; ++t) acc[t] = _mm256_setzero_ps();
    for (int64_t kb = 0; kb < g.cols / 32; ++kb) {
      const uint8_t* blk = g.group + kb * kBlock;
      prefetch_ahead<kPrefetchAhead>(blk, kBlock, g.prefetch);
      const ActQ8x32* a[T];
#pragma GCC unroll 8
      for (int t = 0; t < T; ++t) a[t] = reinterpret_cast<const ActQ8x32*>(g.act + t * g.act_stride) + kb;
      __m256i sum[T];
      if constexpr (B::kNibbles) {
        __m256i pairs[T];
#pragma GCC unroll 8
        for (int t = 0; t < T; ++t) pairs[t] = _mm256_setzero_si256(), sum[t] = _mm256_set1_epi32(a[t]->bias);
#pragma GCC unroll 4
        for (int v = 0; v < 4; ++v) {
          const __m256i x = load_half(blk + B::kQuants + 64 * v, h);
          const __m256i lo = B::map(_mm256_and_si256(x, m4)), hi = B::map(_mm256_and_si256(_mm256_srli_epi16(x, 4), m4));
#pragma GCC unroll 8
          for (int t = 0; t < T; ++t)
            pairs[t] = _mm256_add_epi16(_mm256_add_epi16(pairs[t], _mm256_maddubs_epi16(lo, bcast4(a[t]->qs + 4 * v))),
                                        _mm256_maddubs_epi16(hi, bcast4(a[t]->qs + 16 + 4 * v)));
          if ((v + 1) % B::kFlush == 0)
#pragma GCC unroll 8
            for (int t = 0; t < T; ++t) {
              sum[t] = _mm256_add_epi32(sum[t], pairs_to_i32(pairs[t]));
              pairs[t] = _mm256_setzero_si256();
            }
        }
      } else {
#pragma GCC unroll 8
        for (int t = 0; t < T; ++t) sum[t] = _mm256_setzero_si256();
#pragma GCC unroll 8
        for (int st = 0; st < 8; ++st) {
          const __m256i q = _mm256_xor_si256(load_half(blk + B::kQuants + 64 * st, h), flip);
          const __m256i aq = _mm256_abs_epi8(q);
#pragma GCC unroll 8
          for (int t = 0; t < T; ++t)
            sum[t] = _mm256_add_epi32(
                sum[t], pairs_to_i32(_mm256_maddubs_epi16(aq, _mm256_sign_epi8(bcast4(a[t]->qs + 4 * st), q))));
        }
      }
      const __m256 scale = B::scales(blk, h);
#pragma GCC unroll 8
      for (int t = 0; t < T; ++t)
        acc[t] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(sum[t]), _mm256_mul_ps(scale, _mm256_set1_ps(a[t]->d * B::kActD)), acc[t]);
    }
#pragma GCC unroll 8
    for (int t = 0; t < T; ++t) store_half(g.out + t * g.out_stride, h, g.valid, acc[t]);
  }
}

// MXFP4 prefill, in two passes per group and token block. Its unpacking (mask, shift and a vpshufb
// per nibble vector, the E8M0 scale's conversion) cost block32_group as much as the multiplies for
// each 4-token tile, so the group's weights are unpacked once into biased bytes and float scales
// (L1/L2: 8 bytes a column per half; the scales as 2^(e-128), exactly), and every tile of the block
// reads those. The sums are block32_group's, in the same order: the results are the same bits.
struct Mxfp4Unpacked {
  // Half h's block kb: 4 steps of (low, high) 32-byte vectors, then the 8 rows' scales.
  static constexpr size_t kBlock = 4 * 64 + 32;
  static size_t bytes(int64_t cols) { return static_cast<size_t>(cols / 32) * 2 * kBlock; }
  static size_t at(int64_t cols, int h, int64_t kb) { return (static_cast<size_t>(h) * (cols / 32) + kb) * kBlock; }
};

void unpack_mxfp4_group(const uint8_t* group, int64_t cols, uint8_t* out) {
  using B = Block32<GgmlType::mxfp4>;
  const __m256i m4 = _mm256_set1_epi8(0x0F);
  for (int h = 0; h < 2; ++h)
    for (int64_t kb = 0; kb < cols / 32; ++kb) {
      const uint8_t* blk = group + kb * B::kBlock;
      uint8_t* dst = out + Mxfp4Unpacked::at(cols, h, kb);
      for (int v = 0; v < 4; ++v) {
        const __m256i x = load_half(blk + B::kQuants + 64 * v, h);
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst + 64 * v), B::map(_mm256_and_si256(x, m4)));
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst + 64 * v + 32), B::map(_mm256_and_si256(_mm256_srli_epi16(x, 4), m4)));
      }
      _mm256_storeu_ps(reinterpret_cast<float*>(dst + 256), _mm256_mul_ps(B::scales(blk, h), _mm256_set1_ps(B::kActD)));
    }
}

// T tokens of one unpacked MXFP4 group (g.group points at unpack_mxfp4_group's output).
template <int T>
void mxfp4_unpacked_group(const GroupArgs& g) {
  for (int h = 0; h < 2 && 8 * h < g.valid; ++h) {
    __m256 acc[T];
#pragma GCC unroll 8
    for (int t = 0; t < T; ++t) acc[t] = _mm256_setzero_ps();
    const uint8_t* half = g.group + Mxfp4Unpacked::at(g.cols, h, 0);
    for (int64_t kb = 0; kb < g.cols / 32; ++kb) {
      const uint8_t* blk = half + kb * Mxfp4Unpacked::kBlock;
      const ActQ8x32* a[T];
      __m256i sum[T], pairs[T];
#pragma GCC unroll 8
      for (int t = 0; t < T; ++t) {
        a[t] = reinterpret_cast<const ActQ8x32*>(g.act + t * g.act_stride) + kb;
        pairs[t] = _mm256_setzero_si256(), sum[t] = _mm256_set1_epi32(a[t]->bias);
      }
#pragma GCC unroll 4
      for (int v = 0; v < 4; ++v) {
        const __m256i lo = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(blk + 64 * v));
        const __m256i hi = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(blk + 64 * v + 32));
#pragma GCC unroll 8
        for (int t = 0; t < T; ++t)
          pairs[t] = _mm256_add_epi16(_mm256_add_epi16(pairs[t], _mm256_maddubs_epi16(lo, bcast4(a[t]->qs + 4 * v))),
                                      _mm256_maddubs_epi16(hi, bcast4(a[t]->qs + 16 + 4 * v)));
        if ((v + 1) % Block32<GgmlType::mxfp4>::kFlush == 0)
#pragma GCC unroll 8
          for (int t = 0; t < T; ++t) {
            sum[t] = _mm256_add_epi32(sum[t], pairs_to_i32(pairs[t]));
            pairs[t] = _mm256_setzero_si256();
          }
      }
      const __m256 scale = _mm256_loadu_ps(reinterpret_cast<const float*>(blk + 256));
#pragma GCC unroll 8
      for (int t = 0; t < T; ++t)
        acc[t] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(sum[t]), _mm256_mul_ps(scale, _mm256_set1_ps(a[t]->d)), acc[t]);
    }
#pragma GCC unroll 8
    for (int t = 0; t < T; ++t) store_half(g.out + t * g.out_stride, h, g.valid, acc[t]);
  }
}

// Q4_K: nibbles 0..15 as Q4_0, so a chunk's 8 steps add up in 16 bits before vpmaddwd. A
// super-block of each of S groups for T tokens, added to acc[stream][half][token]: prefill runs one
// group (S = 1) for a tile of tokens, decode one token (T = 1) of S groups whose streams take turns
// step by step, as Q6_K's do (q6_k_superblocks).
template <int S, int T>
inline void q4_k_superblocks(const uint8_t* const (&blk)[S], const ActQ8x256* const (&a)[T], __m256 (*acc)[2][T],
                             Prefetch prefetch) {
  const __m256i m4 = _mm256_set1_epi8(0x0F);

#pragma GCC unroll 2
  for (int h = 0; h < 2; ++h) {
    __m256i isum[S][T];
#pragma GCC unroll 4
    for (auto& sums : isum)
#pragma GCC unroll 8
      for (auto& sum : sums) sum = _mm256_setzero_si256();
    for (int c = 0; c < 4; ++c) {
#pragma GCC unroll 4
      for (int i = 0; i < S; ++i)
        prefetch_slice<L::q4_k::kBlock, 8>(blk[i], 4 * h + c, prefetch);
      __m256i p_lo[S][T], p_hi[S][T];
#pragma GCC unroll 4
      for (int i = 0; i < S; ++i)
#pragma GCC unroll 8
        for (int t = 0; t < T; ++t) p_lo[i][t] = p_hi[i][t] = _mm256_setzero_si256();
#pragma GCC unroll 8
      for (int v = 0; v < 8; ++v)
#pragma GCC unroll 4
        for (int i = 0; i < S; ++i) {
          const __m256i x = load_half(blk[i] + L::q4_k::kQuants + 512 * c + 64 * v, h);
          const __m256i lo = _mm256_and_si256(x, m4), hi = _mm256_and_si256(_mm256_srli_epi16(x, 4), m4);
#pragma GCC unroll 8
          for (int t = 0; t < T; ++t) {
            p_lo[i][t] = _mm256_add_epi16(p_lo[i][t], _mm256_maddubs_epi16(lo, bcast4(a[t]->qs + 64 * c + 4 * v)));
            p_hi[i][t] = _mm256_add_epi16(p_hi[i][t], _mm256_maddubs_epi16(hi, bcast4(a[t]->qs + 64 * c + 32 + 4 * v)));
          }
        }
#pragma GCC unroll 4
      for (int i = 0; i < S; ++i) {
        const __m256i sc_lo = bytes_to_i32(blk[i] + L::q4_k::kScales + 16 * (2 * c) + 8 * h);
        const __m256i sc_hi = bytes_to_i32(blk[i] + L::q4_k::kScales + 16 * (2 * c + 1) + 8 * h);
#pragma GCC unroll 8
        for (int t = 0; t < T; ++t)
          isum[i][t] = _mm256_add_epi32(isum[i][t], _mm256_add_epi32(_mm256_mullo_epi32(pairs_to_i32(p_lo[i][t]), sc_lo),
                                                                     _mm256_mullo_epi32(pairs_to_i32(p_hi[i][t]), sc_hi)));
      }
    }
#pragma GCC unroll 4
    for (int i = 0; i < S; ++i) {
      const __m256 d = halves(blk[i] + L::q4_k::kD, h), dmin = halves(blk[i] + L::q4_k::kDmin, h);
#pragma GCC unroll 8
      for (int t = 0; t < T; ++t) {
        __m256i msum = _mm256_setzero_si256();
#pragma GCC unroll 8
        for (int j = 0; j < 8; ++j)
          msum = _mm256_add_epi32(msum, _mm256_mullo_epi32(bytes_to_i32(blk[i] + L::q4_k::kMins + 16 * j + 8 * h),
                                                           _mm256_set1_epi32(a[t]->bsums[2 * j] + a[t]->bsums[2 * j + 1])));
        const __m256 u = _mm256_fnmadd_ps(dmin, _mm256_cvtepi32_ps(msum), _mm256_mul_ps(d, _mm256_cvtepi32_ps(isum[i][t])));
        acc[i][h][t] = _mm256_fmadd_ps(u, _mm256_set1_ps(a[t]->d), acc[i][h][t]);
      }
    }
  }
}

// Q6_K, one super-block of one group for one token, added to acc[half][0]. Quants are stored as
// value + 32, 0..63, against activations of -127..127: two steps' pair sums (at most
// 2 x 2 x 63 x 127 = 32004) add up in 16 bits, and one vpmaddwd against each row's sub-block scale
// (held in both 16-bit halves of the row's lane) scales and sums them. The 32 comes off once per
// sub-block as 32 x scale x the activations' sum over it (bsums), through the same scale vector.
struct Ymm {
  using V = __m256i;
  static V and_(V a, V b) { return _mm256_and_si256(a, b); }
  static V or_(V a, V b) { return _mm256_or_si256(a, b); }
  template <int n>
  static V srl16(V a) { return _mm256_srli_epi16(a, n); }
  static V splat(char c) { return _mm256_set1_epi8(c); }
};
// Quarter k of half h, rows 8hf..8hf+7: step v of sub-block 8h + 2k + v/4.
inline __m256i q6_k_quarter_at(const uint8_t* blk, int hf, int h, int k, int v) {
  return q6_k_quarter<Ymm>(load_half(blk + L::q6_k::vector(h, v, 0), hf), load_half(blk + L::q6_k::vector(h, v, 1), hf),
                           load_half(blk + L::q6_k::vector(h, v, 2), hf), k);
}

// A super-block of each of S groups (S address streams) for one token, added to acc[stream][half][0].
// Both 8-row halves of a step are done together and the streams take turns step by step, so each
// activation broadcast serves 16 x S rows and every stream advances evenly, front to back. Streams
// that took turns a whole super-block (3.3 KiB) at a time read worse from memory: decode_bench
// PerRead/q6_k 0.65-0.68 of the read against 0.74-0.85 (Zen 3, two cores, 4 alternated runs). A copy
// with its unpacking stripped out read no faster than the whole kernel, so the order of the reads, not
// the arithmetic, had set that rate. Not inlined: unrolled into its callers, GCC hoisted every
// broadcast of the super-block into stack spills (10-15 GB/s per core in L2, against 26).
template <int S>
__attribute__((noinline)) void q6_k_superblocks(const uint8_t* const (&blk)[S], const ActQ8x256* a, __m256 (*acc)[2][1],
                                                Prefetch prefetch) {
  // Each row's int8 scale sign-extended to 32 bits, then its low 16 bits copied to the high ones.
  const __m256i dup16 = _mm256_setr_epi8(0, 1, 0, 1, 4, 5, 4, 5, 8, 9, 8, 9, 12, 13, 12, 13, 0, 1, 0, 1, 4, 5, 4, 5, 8, 9,
                                         8, 9, 12, 13, 12, 13);
  __m256i sc[S][16][2];  // per stream, sub-block and 8-row half, read back as memory operands
  __m256i sum[S][2], offset[S][2];
#pragma GCC unroll 4
  for (int i = 0; i < S; ++i) sum[i][0] = sum[i][1] = _mm256_setzero_si256();
#pragma GCC unroll 4
  for (int i = 0; i < S; ++i) {
#pragma GCC unroll 16
    for (int j = 0; j < 16; ++j) {
      const __m256i bsum = _mm256_set1_epi16(a->bsums[j]);
#pragma GCC unroll 2
      for (int hf = 0; hf < 2; ++hf) {  // rows 8hf..8hf+7
        sc[i][j][hf] = _mm256_shuffle_epi8(sbytes_to_i32(blk[i] + L::q6_k::kScales + 16 * j + 8 * hf), dup16);
        const __m256i o = _mm256_madd_epi16(sc[i][j][hf], bsum);
        offset[i][hf] = j == 0 ? o : _mm256_add_epi32(offset[i][hf], o);
        in_order(offset[i][hf]);
      }
    }
  }
#pragma GCC unroll 1
  for (int h = 0; h < 2; ++h)
#pragma GCC unroll 4
    for (int v = 0; v < 8; v += 2) {
#pragma GCC unroll 4
      for (int i = 0; i < S; ++i)
        prefetch_slice<L::q6_k::kBlock, 8>(blk[i], 4 * h + v / 2, prefetch);
#pragma GCC unroll 4
      for (int k = 0; k < 4; ++k) {
        const int8_t* x = a->qs + 128 * h + 32 * k + 4 * v;
        const __m256i x0 = bcast4(x), x1 = bcast4(x + 4);
        const int j = 8 * h + 2 * k + v / 4;
#pragma GCC unroll 4
        for (int i = 0; i < S; ++i)
#pragma GCC unroll 2
          for (int hf = 0; hf < 2; ++hf) {
            const __m256i pairs = _mm256_add_epi16(_mm256_maddubs_epi16(q6_k_quarter_at(blk[i], hf, h, k, v), x0),
                                                   _mm256_maddubs_epi16(q6_k_quarter_at(blk[i], hf, h, k, v + 1), x1));
            const __m256i p = _mm256_madd_epi16(pairs, sc[i][j][hf]);
            sum[i][hf] = _mm256_add_epi32(sum[i][hf], p);
            in_order(sum[i][hf]);
          }
      }
    }
#pragma GCC unroll 4
  for (int i = 0; i < S; ++i)
#pragma GCC unroll 2
    for (int hf = 0; hf < 2; ++hf) {
      // offset holds 2 x sum_j scale_j x bsums_j (both 16-bit halves multiplied): 32 x that is 16 x offset.
      const __m256i total = _mm256_sub_epi32(sum[i][hf], _mm256_slli_epi32(offset[i][hf], 4));
      const __m256 d = halves(blk[i] + L::q6_k::kD, hf);
      acc[i][hf][0] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(total), _mm256_mul_ps(d, _mm256_set1_ps(a->d)), acc[i][hf][0]);
    }
}

// The K-quants' super-block kernels, by type: run for a tile of T tokens of one group (prefill),
// streams for one token of S groups (decode).
struct Q4KSuper {
  static constexpr size_t kBlock = L::q4_k::kBlock;
  template <int T>
  static void run(const uint8_t* blk, const ActQ8x256* const (&a)[T], __m256 (&acc)[2][T], Prefetch prefetch) {
    const uint8_t* one[1] = {blk};
    q4_k_superblocks<1, T>(one, a, &acc, prefetch);
  }
  template <int S>
  static void streams(const uint8_t* const (&blk)[S], const ActQ8x256* a, __m256 (&acc)[S][2][1], Prefetch prefetch) {
    const ActQ8x256* one[1] = {a};
    q4_k_superblocks<S, 1>(blk, one, acc, prefetch);
  }
};
struct Q6KSuper {  // one token at a time: prefill tiles gained nothing over it (bound by the unpacking)
  static constexpr size_t kBlock = L::q6_k::kBlock;
  template <int T>
  static void run(const uint8_t* blk, const ActQ8x256* const (&a)[T], __m256 (&acc)[2][T], Prefetch prefetch) {
    static_assert(T == 1);
    const uint8_t* one[1] = {blk};
    q6_k_superblocks<1>(one, a[0], &acc, prefetch);
  }
  template <int S>
  static void streams(const uint8_t* const (&blk)[S], const ActQ8x256* a, __m256 (&acc)[S][2][1], Prefetch prefetch) {
    q6_k_superblocks<S>(blk, a, acc, prefetch);
  }
};

// K-quant decode over S groups from S distant parts of the range, super-block by super-block, the
// S streams taking turns inside each (K::streams): S address streams per core, as block32_streams has.
template <class K, int S>
void k_quant_streams(const GroupArgs (&g)[S]) {
  __m256 acc[S][2][1];
#pragma GCC unroll 4
  for (int i = 0; i < S; ++i) acc[i][0][0] = acc[i][1][0] = _mm256_setzero_ps();
  const auto* act = reinterpret_cast<const ActQ8x256*>(g[0].act);
  for (int64_t sb = 0; sb < g[0].cols / 256; ++sb) {
    const uint8_t* blk[S];
#pragma GCC unroll 4
    for (int i = 0; i < S; ++i) blk[i] = g[i].group + sb * K::kBlock;
    K::template streams<S>(blk, act + sb, acc, g[0].prefetch);
  }
#pragma GCC unroll 4
  for (int i = 0; i < S; ++i)
    for (int h = 0; h < 2; ++h) store_half(g[i].out, h, g[i].valid, acc[i][h][0]);
}

// A K-quant group for a tile of T tokens (prefill), super-block by super-block.
template <class K, int T>
void k_quant_group(const GroupArgs& g) {
  __m256 acc[2][T];
#pragma GCC unroll 8
  for (int t = 0; t < T; ++t) acc[0][t] = acc[1][t] = _mm256_setzero_ps();
  for (int64_t sb = 0; sb < g.cols / 256; ++sb) {
    const ActQ8x256* a[T];
#pragma GCC unroll 8
    for (int t = 0; t < T; ++t) a[t] = reinterpret_cast<const ActQ8x256*>(g.act + t * g.act_stride) + sb;
    K::template run<T>(g.group + sb * K::kBlock, a, acc, g.prefetch);
  }
#pragma GCC unroll 8
  for (int t = 0; t < T; ++t)
    for (int h = 0; h < 2; ++h) store_half(g.out + t * g.out_stride, h, g.valid, acc[h][t]);
}

// Decode over S groups taken from S distant parts of the range: S address streams per core, as the
// AVX-512 kernel does (more lines in flight than one stream keeps). Step-major: each step's
// activation broadcast serves both halves of every stream, so that only it, the step's weights and
// the running sums need registers. Block by block, GCC had kept a block's 8 broadcasts live and
// spilled the sums (one core in L2, paired: Q4_0 15% and Q8_0 6% slower than step-major).
//   Q4_0: weights are nibbles 0..15 (value + 8). A pair sum is at most 2 x 15 x 128 = 3840, so all 8
// steps of a block add up in 16 bits (30720 < 32767) before one vpmaddwd; the bias adds the 8 back.
//   Q8_0: weights are stored as q + 128; flipping the top bit gives q. vpmaddubsw's first operand is
// unsigned, so it takes |q| and the activation takes q's sign: pair sums stay within
// 2 x 128 x 128 = 32768 in magnitude and are exact (-32768 included), so each step gets its own
// vpmaddwd. The sum is then sum(q a), which is what bias + sum((q + 128) a) equals.
template <GgmlType W, int S>
void block32_streams(const GroupArgs (&g)[S]) {
  using B = Block32<W>;
  constexpr size_t kBlock = B::kBlock, kQuants = B::kQuants;
  const __m256i m4 = _mm256_set1_epi8(0x0F), flip = _mm256_set1_epi8(static_cast<char>(0x80));
  const auto* act = reinterpret_cast<const ActQ8x32*>(g[0].act);
  __m256 acc[S][2];
#pragma GCC unroll 4
  for (int i = 0; i < S; ++i) acc[i][0] = acc[i][1] = _mm256_setzero_ps();
  for (int64_t kb = 0; kb < g[0].cols / 32; ++kb) {
    const ActQ8x32* a = act + kb;
    const uint8_t* blk[S];
#pragma GCC unroll 4
    for (int i = 0; i < S; ++i) {
      blk[i] = g[i].group + kb * kBlock;
      prefetch_ahead<kPrefetchAhead>(blk[i], kBlock, g[i].prefetch);
    }
    // Each running sum starts as its first step's products: started at zero, MXFP4's sums kept an
    // add of that zero behind the in_order barrier (GCC dropped it for Q4_0 and Q8_0).
    __m256i sum[S][2];
    if constexpr (B::kNibbles) {
      // Pair sums in 16 bits; for MXFP4 (kFlush 2) the first two steps' are widened into `wide`
      // halfway, so that no 16-bit sum overflows. Q4_0 widens once, at the end, as before.
      [[maybe_unused]] __m256i wide[S][2];
#pragma GCC unroll 4
      for (int v = 0; v < 4; ++v) {  // low nibbles are step v, high nibbles step v + 4
        const __m256i lo = bcast4(a->qs + 4 * v), hi = bcast4(a->qs + 16 + 4 * v);
#pragma GCC unroll 4
        for (int i = 0; i < S; ++i)
#pragma GCC unroll 2
          for (int h = 0; h < 2; ++h) {
            const __m256i x = load_half(blk[i] + kQuants + 64 * v, h);
            const __m256i step = _mm256_add_epi16(_mm256_maddubs_epi16(B::map(_mm256_and_si256(x, m4)), lo),
                                                  _mm256_maddubs_epi16(B::map(_mm256_and_si256(_mm256_srli_epi16(x, 4), m4)), hi));
            sum[i][h] = v % B::kFlush == 0 ? step : _mm256_add_epi16(sum[i][h], step);
            in_order(sum[i][h]);
          }
        if constexpr (B::kFlush == 2)
          if (v == 1)
#pragma GCC unroll 4
            for (int i = 0; i < S; ++i)
#pragma GCC unroll 2
              for (int h = 0; h < 2; ++h) wide[i][h] = pairs_to_i32(sum[i][h]);
      }
      static_assert(B::kFlush == 2 || B::kFlush == 4);
      const __m256i bias = _mm256_set1_epi32(a->bias);
#pragma GCC unroll 4
      for (int i = 0; i < S; ++i)
#pragma GCC unroll 2
        for (int h = 0; h < 2; ++h) {
          sum[i][h] = _mm256_add_epi32(bias, pairs_to_i32(sum[i][h]));
          if constexpr (B::kFlush == 2) sum[i][h] = _mm256_add_epi32(sum[i][h], wide[i][h]);
        }
    } else {
#pragma GCC unroll 8
      for (int st = 0; st < 8; ++st) {
        const __m256i x = bcast4(a->qs + 4 * st);
#pragma GCC unroll 4
        for (int i = 0; i < S; ++i)
#pragma GCC unroll 2
          for (int h = 0; h < 2; ++h) {
            const __m256i q = _mm256_xor_si256(load_half(blk[i] + kQuants + 64 * st, h), flip);
            const __m256i step = pairs_to_i32(_mm256_maddubs_epi16(_mm256_abs_epi8(q), _mm256_sign_epi8(x, q)));
            sum[i][h] = st == 0 ? step : _mm256_add_epi32(sum[i][h], step);
            in_order(sum[i][h]);
          }
      }
    }
    const __m256 d = _mm256_set1_ps(a->d * B::kActD);
#pragma GCC unroll 4
    for (int i = 0; i < S; ++i)
#pragma GCC unroll 2
      for (int h = 0; h < 2; ++h)
        acc[i][h] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(sum[i][h]), _mm256_mul_ps(B::scales(blk[i], h), d), acc[i][h]);
  }
#pragma GCC unroll 4
  for (int i = 0; i < S; ++i)
    for (int h = 0; h < 2; ++h) store_half(g[i].out, h, g[i].valid, acc[i][h]);
}

// Float weights, 16 rows as stored, 8 rows at a time (8 accumulators and the activations fill the
// 16 registers), reduced once per row at the end.
template <GgmlType W>
__m256 load_weights(const uint8_t* row, int64_t c) {
  if constexpr (W == GgmlType::f32) return _mm256_loadu_ps(reinterpret_cast<const float*>(row) + c);
  const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(row + 2 * c));
  if constexpr (W == GgmlType::f16) return _mm256_cvtph_ps(x);
  return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(x), 16));  // bf16: the top half of an fp32
}

inline float reduce(__m256 v) {
  const __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  const __m128 s2 = _mm_add_ps(s, _mm_movehl_ps(s, s));
  return _mm_cvtss_f32(_mm_add_ss(s2, _mm_shuffle_ps(s2, s2, 1)));
}

template <GgmlType W>
void float_group(const GroupArgs& g, int64_t n_tokens) {
  constexpr int64_t kElem = W == GgmlType::f32 ? 4 : 2;
  for (int64_t tok = 0; tok < n_tokens; ++tok) {
    const float* x = reinterpret_cast<const float*>(g.act + tok * g.act_stride);
    for (int h = 0; h < 2 && 8 * h < g.valid; ++h) {
      __m256 acc[8];
#pragma GCC unroll 8
      for (int r = 0; r < 8; ++r) acc[r] = _mm256_setzero_ps();
      for (int64_t c = 0; c < g.cols; c += 8) {
        const __m256 xv = _mm256_loadu_ps(x + c);
#pragma GCC unroll 8
        for (int r = 0; r < 8; ++r)
          acc[r] = _mm256_fmadd_ps(load_weights<W>(g.group + (8 * h + r) * g.cols * kElem, c), xv, acc[r]);
      }
      for (int r = 0; r < 8 && 8 * h + r < g.valid; ++r) g.out[tok * g.out_stride + 8 * h + r] = reduce(acc[r]);
    }
  }
}

template <int T> struct Q4_0 { static void run(const GroupArgs& g) { block32_group<GgmlType::q4_0, T>(g); } };
template <int T> struct Q8_0 { static void run(const GroupArgs& g) { block32_group<GgmlType::q8_0, T>(g); } };
template <int T> struct MXFP4 { static void run(const GroupArgs& g) { mxfp4_unpacked_group<T>(g); } };
template <int T> struct Q4_K { static void run(const GroupArgs& g) { k_quant_group<Q4KSuper, T>(g); } };
template <int T> struct Q6_K { static void run(const GroupArgs& g) { k_quant_group<Q6KSuper, T>(g); } };

constexpr int64_t kTokenBlock = 64;  // activations that stay in L2 while the thread's groups pass
// Decode's streams per core (see block32_streams): several helped Q4_0 on the AVX-512 machine. Here
// (Zen 3, two cores, runs paired with the read kernel, step-major): Q4_0 three streams, 10% above
// two (one and four: 5% below two); Q8_0 two, 3% above one (three and four: 10% below two). MXFP4
// two: one-core-in-L2 and two-core runs from memory both above one, despite the spills of its second
// set of sums. The K-quants two, taking turns step by step (q4_k_superblocks, q6_k_superblocks):
// decode_bench PerRead of the read, 4 alternated runs, against the same two streams taking turns a
// super-block at a time: Q4_K 0.88-0.93 against 0.71-0.84, Q6_K 0.74-0.85 against 0.65-0.68. Three
// and four streams read 5-20% less than two for Q6_K.
template <GgmlType W>
constexpr int kStreams = W == GgmlType::q4_0 ? 3 : 2;

// One decode call over S groups, by type.
template <GgmlType W, int S>
void decode_streams(const GroupArgs (&g)[S]) {
  if constexpr (W == GgmlType::q4_k) k_quant_streams<Q4KSuper, S>(g);
  else if constexpr (W == GgmlType::q6_k) k_quant_streams<Q6KSuper, S>(g);
  else block32_streams<W, S>(g);
}

template <GgmlType W>
void matmul(const std::byte* packed, int64_t rows, int64_t cols, int64_t g0, int64_t g1, const std::byte* act,
            size_t act_stride, int64_t n_tokens, float* out, int64_t out_stride) {
  const size_t bytes = packed_group_bytes(W, cols);
  const Prefetch prefetch = prefetch_weights();
  auto args = [&](int64_t grp, int64_t tok0) {
    const int64_t first = grp * 16;
    return GroupArgs{reinterpret_cast<const uint8_t*>(packed) + grp * bytes, cols,
                     reinterpret_cast<const uint8_t*>(act) + tok0 * act_stride, act_stride,
                     out + tok0 * out_stride + first, out_stride, int(rows - first < 16 ? rows - first : 16), prefetch};
  };
  if constexpr (W != GgmlType::f32 && W != GgmlType::f16 && W != GgmlType::bf16) {
    if (n_tokens == 1) {
      constexpr int S = kStreams<W>;
      const int64_t part = (g1 - g0) / S;
      for (int64_t i = 0; i < part; ++i) {
        GroupArgs g[S];
        for (int k = 0; k < S; ++k) g[k] = args(g0 + k * part + i, 0);
        decode_streams<W, S>(g);
      }
      for (int64_t grp = g0 + S * part; grp < g1; ++grp) {
        GroupArgs g[1] = {args(grp, 0)};
        decode_streams<W, 1>(g);
      }
      return;
    }
  }
  [[maybe_unused]] std::vector<uint8_t>* unpacked = nullptr;
  if constexpr (W == GgmlType::mxfp4) {
    static thread_local std::vector<uint8_t> buffer;
    buffer.resize(Mxfp4Unpacked::bytes(cols));
    unpacked = &buffer;
  }
  for (int64_t tok0 = 0; tok0 < n_tokens; tok0 += kTokenBlock) {
    const int64_t block = n_tokens - tok0 < kTokenBlock ? n_tokens - tok0 : kTokenBlock;
    for (int64_t grp = g0; grp < g1; ++grp) {
      GroupArgs g = args(grp, tok0);
      if constexpr (W == GgmlType::q4_0) Tiles<Q4_0, 4, GroupArgs>::run(g, block);
      else if constexpr (W == GgmlType::q8_0) Tiles<Q8_0, 4, GroupArgs>::run(g, block);
      else if constexpr (W == GgmlType::mxfp4) {
        unpack_mxfp4_group(g.group, cols, unpacked->data());
        g.group = unpacked->data();
        Tiles<MXFP4, 4, GroupArgs>::run(g, block);
      }
      else if constexpr (W == GgmlType::q4_k) Tiles<Q4_K, 2, GroupArgs>::run(g, block);
      else if constexpr (W == GgmlType::q6_k) Tiles<Q6_K, 1, GroupArgs>::run(g, block);
      else float_group<W>(g, block);
    }
  }
}

}  // namespace

MatmulFn matmul_avx2(GgmlType t) {
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
