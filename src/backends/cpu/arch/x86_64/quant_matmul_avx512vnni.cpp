// AVX-512 (F, BW) + VNNI matmul kernels over the packed 16-row groups (quant_layout.h). One 64-byte
// vector holds 4 quants of each of 16 rows; vpdpbusd against 4 activation bytes broadcast to every
// lane adds one step to all 16 row sums, so the 16 results come out in one register, in row order.
// Each group is processed for a tile of T tokens at once: the weights are loaded and unpacked once
// per tile (prefill reuses them T times; decode has T = 1 and is bound by reading them).
// The float steps match quant_matmul_generic.cpp operation for operation, so results are identical.
#include <immintrin.h>

#include <type_traits>

#include "backends/cpu/arch/x86_64/q6_k_quarters.h"
#include "backends/cpu/arch/x86_64/x86_weight_reads.h"
#include "backends/cpu/arch/x86_64/x86_tables.h"
#include "backends/cpu/quant_layout.h"
#include "backends/cpu/quant_tiles.h"

namespace specgap::cpu {
namespace {
namespace L = layout;

inline __m512i bcast4(const int8_t* p) {
  int32_t v;
  __builtin_memcpy(&v, p, 4);
  return _mm512_set1_epi32(v);
}
inline __m512i load(const uint8_t* p) { return _mm512_loadu_si512(p); }
// The same 64 bytes as two 256-bit loads (split_wide_loads: where these stream faster from DRAM).
inline __m512i load_halves(const uint8_t* p) {
  const auto* h = reinterpret_cast<const __m256i*>(p);
  return _mm512_inserti64x4(_mm512_castsi256_si512(_mm256_loadu_si256(h)), _mm256_loadu_si256(h + 1), 1);
}
inline __m512 halves(const uint8_t* p) { return _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p))); }
inline __m512i bytes_to_i32(const uint8_t* p) { return _mm512_cvtepu8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p))); }
inline __m512i sbytes_to_i32(const uint8_t* p) { return _mm512_cvtepi8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p))); }

// Where prefetch_weights() says so, the 32-column blocks are prefetched a fixed distance ahead: tg64
// on the 1B Q4_0 file (Zen 5), runs alternated, 2 KiB 75-78 tokens/s, 1 KiB 74-77, 4 KiB 57-76,
// none 65. The K-quants' super-blocks prefetch the next one a slice at a time, as on AVX2.
constexpr size_t kPrefetchAhead = 2048;

// Arguments every group kernel takes: its packed bytes, its activations and where its 16 outputs go.
struct GroupArgs {
  const uint8_t* group;
  int64_t cols;
  const uint8_t* act;  // token 0 of the tile
  size_t act_stride;
  float* out;          // token 0 of the tile, row 0 of the group
  int64_t out_stride;
  __mmask16 rows;      // which of the 16 rows exist
  Prefetch prefetch;   // prefetch_weights()
  bool split_loads;    // split_wide_loads(): decode's Q6_K loads its weights as 256-bit halves
};

template <int T>
void store(const GroupArgs& g, const __m512 (&acc)[T]) {
#pragma GCC unroll 16
  for (int t = 0; t < T; ++t) _mm512_mask_storeu_ps(g.out + t * g.out_stride, g.rows, acc[t]);
}

// One block's 8 steps for one token, started at the block's bias. With one token (decode) two
// chains halve the dependent latency; with a tile the tokens' chains already overlap.
template <int T>
inline __m512i block_sum(const __m512i (&w)[8], const ActQ8x32* a) {
  if constexpr (T <= 16) {
    __m512i s0 = _mm512_set1_epi32(a->bias), s1 = _mm512_setzero_si512();
#pragma GCC unroll 16
    for (int s = 0; s < 8; s += 2) {
      s0 = _mm512_dpbusd_epi32(s0, w[s], bcast4(a->qs + 4 * s));
      s1 = _mm512_dpbusd_epi32(s1, w[s + 1], bcast4(a->qs + 4 * s + 4));
    }
    return _mm512_add_epi32(s0, s1);
  } else {
    __m512i s0 = _mm512_set1_epi32(a->bias);
#pragma GCC unroll 16
    for (int s = 0; s < 8; ++s) s0 = _mm512_dpbusd_epi32(s0, w[s], bcast4(a->qs + 4 * s));
    return s0;
  }
}

// Q4_0, Q8_0 and MXFP4 blocks differ only in how a block's 8 step vectors and 16 scales come out
// of its bytes.
struct Q4_0Steps {
  static constexpr size_t kBlock = L::q4_0::kBlock;
  static __m512 scales(const uint8_t* blk) { return halves(blk + L::q4_0::kScales); }
  static void unpack(const uint8_t* blk, __m512i (&w)[8]) {
    const __m512i m4 = _mm512_set1_epi8(0x0F);
#pragma GCC unroll 4
    for (int v = 0; v < 4; ++v) {
      const __m512i x = load(blk + L::q4_0::kQuants + 64 * v);
      w[v] = _mm512_and_si512(x, m4);                          // step v
      w[v + 4] = _mm512_and_si512(_mm512_srli_epi16(x, 4), m4);  // step v + 4
    }
  }
};
// Q4_0's one-token (decode) block sum: the high nibbles stay in place (16 x their value: x & 0xF0),
// in a chain of their own divided by 16 at the end, exactly, which saves the four shifts per block
// where a block's unpacking is not shared by a tile of tokens. Products stay within 240 x 128 x 4
// per lane and step, so the 32-bit sums are exact. Intel Emerald Rapids, one core in L2
// (decode_bench InCache/q4_0): 32 GB/s with the shifts, 37 without; PerRead/q4_0, 3 alternated runs,
// 0.85-0.89 of the read to 0.88-0.90.
inline __m512i q4_0_decode_sum(const uint8_t* blk, const ActQ8x32* a) {
  const __m512i m4 = _mm512_set1_epi8(0x0F), top = _mm512_set1_epi8(static_cast<char>(0xF0));
  __m512i lo = _mm512_set1_epi32(a->bias), hi = _mm512_setzero_si512();
#pragma GCC unroll 4
  for (int v = 0; v < 4; ++v) {
    const __m512i x = load(blk + L::q4_0::kQuants + 64 * v);
    lo = _mm512_dpbusd_epi32(lo, _mm512_and_si512(x, m4), bcast4(a->qs + 4 * v));             // step v
    hi = _mm512_dpbusd_epi32(hi, _mm512_and_si512(x, top), bcast4(a->qs + 16 + 4 * v));       // step v + 4
  }
  return _mm512_add_epi32(lo, _mm512_srai_epi32(hi, 4));
}
struct Q8_0Steps {
  static constexpr size_t kBlock = L::q8_0::kBlock;
  static __m512 scales(const uint8_t* blk) { return halves(blk + L::q8_0::kScales); }
  static void unpack(const uint8_t* blk, __m512i (&w)[8]) {
#pragma GCC unroll 8
    for (int v = 0; v < 8; ++v) w[v] = load(blk + L::q8_0::kQuants + 64 * v);
  }
};
// MXFP4: Q4_0's nibbles, each mapped by one vpshufb to its code's doubled value + 12; the 16 rows'
// scales 2^(e-128) built from the exponent bytes as ggml_e8m0_to_fp32_half builds them (the float
// whose bits are (e - 1) << 23, or for e < 2 the subnormal 0x00200000 << e), bit for bit the
// portable kernel's e8m0_half.
struct MXFP4Steps {
  static constexpr size_t kBlock = L::mxfp4::kBlock;
  static __m512 scales(const uint8_t* blk) {
    const __m512i e = bytes_to_i32(blk + L::mxfp4::kScales);
    const __m512i normal = _mm512_slli_epi32(_mm512_sub_epi32(e, _mm512_set1_epi32(1)), 23);
    const __m512i tiny = _mm512_sllv_epi32(_mm512_set1_epi32(0x00200000), e);
    const __mmask16 small = _mm512_cmplt_epu32_mask(e, _mm512_set1_epi32(2));
    return _mm512_castsi512_ps(_mm512_mask_blend_epi32(small, normal, tiny));
  }
  static void unpack(const uint8_t* blk, __m512i (&w)[8]) {
    const __m512i m4 = _mm512_set1_epi8(0x0F);
    const __m512i codes = _mm512_broadcast_i32x4(_mm_loadu_si128(reinterpret_cast<const __m128i*>(L::mxfp4::kBiasedCodes)));
#pragma GCC unroll 4
    for (int v = 0; v < 4; ++v) {
      const __m512i x = load(blk + L::mxfp4::kQuants + 64 * v);
      w[v] = _mm512_shuffle_epi8(codes, _mm512_and_si512(x, m4));                          // step v
      w[v + 4] = _mm512_shuffle_epi8(codes, _mm512_and_si512(_mm512_srli_epi16(x, 4), m4));  // step v + 4
    }
  }
};

// One 32-element block of 16 rows against one token's activations, added to acc.
template <class B, int T>
inline __m512 block_fma(const __m512i (&w)[8], const uint8_t* blk, const ActQ8x32* a, __m512 acc) {
  return _mm512_fmadd_ps(_mm512_cvtepi32_ps(block_sum<T>(w, a)),
                         _mm512_mul_ps(B::scales(blk), _mm512_set1_ps(a->d)), acc);
}

template <class B, int T>
void block32_group(const GroupArgs& g) {
  __m512 acc[T];
#pragma GCC unroll 16
  for (int t = 0; t < T; ++t) acc[t] = _mm512_setzero_ps();
  for (int64_t kb = 0; kb < g.cols / 32; ++kb) {
    const uint8_t* blk = g.group + kb * B::kBlock;
    prefetch_ahead<kPrefetchAhead>(blk, B::kBlock, g.prefetch);
    __m512i w[8];
    B::unpack(blk, w);
#pragma GCC unroll 16
    for (int t = 0; t < T; ++t)
      acc[t] = block_fma<B, T>(w, blk, reinterpret_cast<const ActQ8x32*>(g.act + t * g.act_stride) + kb, acc[t]);
  }
  store<T>(g, acc);
}

template <int T>
void q4_k_group(const GroupArgs& g) {
  const __m512i m4 = _mm512_set1_epi8(0x0F);
  __m512 acc[T];
#pragma GCC unroll 16
  for (int t = 0; t < T; ++t) acc[t] = _mm512_setzero_ps();
  for (int64_t sb = 0; sb < g.cols / 256; ++sb) {
    const uint8_t* blk = g.group + sb * L::q4_k::kBlock;
    const ActQ8x256* a[T];
#pragma GCC unroll 16
    for (int t = 0; t < T; ++t) a[t] = reinterpret_cast<const ActQ8x256*>(g.act + t * g.act_stride) + sb;
    __m512i isum[T];
#pragma GCC unroll 16
    for (int t = 0; t < T; ++t) isum[t] = _mm512_setzero_si512();
#pragma GCC unroll 16
    for (int c = 0; c < 4; ++c) {
      prefetch_slice<L::q4_k::kBlock, 4>(blk, c, g.prefetch);
      __m512i s_lo[T], s_hi[T];
#pragma GCC unroll 16
      for (int t = 0; t < T; ++t) s_lo[t] = s_hi[t] = _mm512_setzero_si512();
#pragma GCC unroll 16
      for (int v = 0; v < 8; ++v) {
        const __m512i x = load(blk + L::q4_k::kQuants + 512 * c + 64 * v);
        const __m512i lo = _mm512_and_si512(x, m4), hi = _mm512_and_si512(_mm512_srli_epi16(x, 4), m4);
#pragma GCC unroll 16
        for (int t = 0; t < T; ++t) {
          s_lo[t] = _mm512_dpbusd_epi32(s_lo[t], lo, bcast4(a[t]->qs + 64 * c + 4 * v));
          s_hi[t] = _mm512_dpbusd_epi32(s_hi[t], hi, bcast4(a[t]->qs + 64 * c + 32 + 4 * v));
        }
      }
      const __m512i sc_lo = bytes_to_i32(blk + L::q4_k::kScales + 16 * (2 * c));
      const __m512i sc_hi = bytes_to_i32(blk + L::q4_k::kScales + 16 * (2 * c + 1));
#pragma GCC unroll 16
      for (int t = 0; t < T; ++t)
        isum[t] = _mm512_add_epi32(isum[t], _mm512_add_epi32(_mm512_mullo_epi32(s_lo[t], sc_lo),
                                                              _mm512_mullo_epi32(s_hi[t], sc_hi)));
    }
    const __m512 d = halves(blk + L::q4_k::kD), dmin = halves(blk + L::q4_k::kDmin);
#pragma GCC unroll 16
    for (int t = 0; t < T; ++t) {
      __m512i msum = _mm512_setzero_si512();
#pragma GCC unroll 16
      for (int j = 0; j < 8; ++j)
        msum = _mm512_add_epi32(msum, _mm512_mullo_epi32(bytes_to_i32(blk + L::q4_k::kMins + 16 * j),
                                                         _mm512_set1_epi32(a[t]->bsums[2 * j] + a[t]->bsums[2 * j + 1])));
      const __m512 u = _mm512_fnmadd_ps(dmin, _mm512_cvtepi32_ps(msum), _mm512_mul_ps(d, _mm512_cvtepi32_ps(isum[t])));
      acc[t] = _mm512_fmadd_ps(u, _mm512_set1_ps(a[t]->d), acc[t]);
    }
  }
  store<T>(g, acc);
}

// The 512-bit operations q6_k_quarter needs.
struct Zmm {
  using V = __m512i;
  static V and_(V a, V b) { return _mm512_and_si512(a, b); }
  static V or_(V a, V b) { return _mm512_or_si512(a, b); }
  template <int n>
  static V srl16(V a) { return _mm512_srli_epi16(a, n); }
  static V splat(char c) { return _mm512_set1_epi8(c); }
};

// Prefill's Q6_K, T tokens a group: 512-bit loads only, since split loads cost this in-cache kernel
// 15% on Zen 4 (x86_weight_reads.cpp); decode (q6_k_streams) splits them there.
template <int T>
void q6_k_group(const GroupArgs& g) {
  __m512 acc[T];
#pragma GCC unroll 16
  for (int t = 0; t < T; ++t) acc[t] = _mm512_setzero_ps();
  for (int64_t sb = 0; sb < g.cols / 256; ++sb) {
    const uint8_t* blk = g.group + sb * L::q6_k::kBlock;
    const ActQ8x256* a[T];
#pragma GCC unroll 16
    for (int t = 0; t < T; ++t) a[t] = reinterpret_cast<const ActQ8x256*>(g.act + t * g.act_stride) + sb;
    __m512i isum[T];
#pragma GCC unroll 16
    for (int t = 0; t < T; ++t) isum[t] = _mm512_setzero_si512();
#pragma GCC unroll 16
    for (int h = 0; h < 2; ++h)
#pragma GCC unroll 16
      for (int quad = 0; quad < 2; ++quad) {
        // Quarter k of half h, steps 4*quad..4*quad+3, falls in sub-block 8h + 2k + quad.
        __m512i s[T][4];
#pragma GCC unroll 16
        for (int t = 0; t < T; ++t)
#pragma GCC unroll 16
          for (int k = 0; k < 4; ++k) s[t][k] = _mm512_set1_epi32(-32 * a[t]->bsums[8 * h + 2 * k + quad]);
#pragma GCC unroll 16
        for (int v = 4 * quad; v < 4 * quad + 4; ++v) {
          prefetch_slice<L::q6_k::kBlock, 16>(blk, 8 * h + v, g.prefetch);
          const __m512i x = load(blk + L::q6_k::vector(h, v, 0));
          const __m512i y = load(blk + L::q6_k::vector(h, v, 1));
          const __m512i z = load(blk + L::q6_k::vector(h, v, 2));
          const __m512i q[4] = {q6_k_quarter<Zmm>(x, y, z, 0), q6_k_quarter<Zmm>(x, y, z, 1),
                                q6_k_quarter<Zmm>(x, y, z, 2), q6_k_quarter<Zmm>(x, y, z, 3)};
#pragma GCC unroll 16
          for (int t = 0; t < T; ++t)
#pragma GCC unroll 16
            for (int k = 0; k < 4; ++k)
              s[t][k] = _mm512_dpbusd_epi32(s[t][k], q[k], bcast4(a[t]->qs + 128 * h + 32 * k + 4 * v));
        }
#pragma GCC unroll 16
        for (int k = 0; k < 4; ++k) {
          const __m512i sc = sbytes_to_i32(blk + L::q6_k::kScales + 16 * (8 * h + 2 * k + quad));
#pragma GCC unroll 16
          for (int t = 0; t < T; ++t) isum[t] = _mm512_add_epi32(isum[t], _mm512_mullo_epi32(s[t][k], sc));
        }
      }
    const __m512 d = halves(blk + L::q6_k::kD);
#pragma GCC unroll 16
    for (int t = 0; t < T; ++t)
      acc[t] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(isum[t]), _mm512_mul_ps(d, _mm512_set1_ps(a[t]->d)), acc[t]);
  }
  store<T>(g, acc);
}

// Q6_K decode (one token) over S groups from S distant parts of the range, the streams taking turns
// step by step (192 bytes each) inside every super-block, as the AVX2 kernel's do: S address streams
// per core that advance evenly, each activation broadcast serving 16 x S rows. Intel Emerald Rapids
// (KVM), two cores, decode_bench PerRead/q6_k, 3 alternated runs: one stream (the tile kernel)
// 0.77-0.79 of the read, two 0.83-0.85, three 0.84-0.87 (kept at two, as the other types); the
// prefetch one super-block ahead as before (two ahead: the same; none: 0.71-0.74).
template <int S, bool kSplit>
void q6_k_streams_loads(const GroupArgs (&g)[S]) {
  constexpr auto weights = kSplit ? load_halves : load;
  const auto* act = reinterpret_cast<const ActQ8x256*>(g[0].act);
  __m512 acc[S];
#pragma GCC unroll 4
  for (int i = 0; i < S; ++i) acc[i] = _mm512_setzero_ps();
  for (int64_t sb = 0; sb < g[0].cols / 256; ++sb) {
    const ActQ8x256* a = act + sb;
    const uint8_t* blk[S];
    __m512i isum[S];
#pragma GCC unroll 4
    for (int i = 0; i < S; ++i) {
      blk[i] = g[i].group + sb * L::q6_k::kBlock;
      isum[i] = _mm512_setzero_si512();
    }
#pragma GCC unroll 2
    for (int h = 0; h < 2; ++h)
#pragma GCC unroll 2
      for (int quad = 0; quad < 2; ++quad) {
        // Quarter k of half h, steps 4*quad..4*quad+3, falls in sub-block 8h + 2k + quad.
        __m512i s[S][4];
#pragma GCC unroll 4
        for (int k = 0; k < 4; ++k) {
          const __m512i bias = _mm512_set1_epi32(-32 * a->bsums[8 * h + 2 * k + quad]);
#pragma GCC unroll 4
          for (int i = 0; i < S; ++i) s[i][k] = bias;
        }
#pragma GCC unroll 4
        for (int v = 4 * quad; v < 4 * quad + 4; ++v) {
          __m512i x[4];
#pragma GCC unroll 4
          for (int k = 0; k < 4; ++k) x[k] = bcast4(a->qs + 128 * h + 32 * k + 4 * v);
#pragma GCC unroll 4
          for (int i = 0; i < S; ++i) {
            prefetch_slice<L::q6_k::kBlock, 16>(blk[i], 8 * h + v, g[i].prefetch);
            const __m512i p = weights(blk[i] + L::q6_k::vector(h, v, 0));
            const __m512i q = weights(blk[i] + L::q6_k::vector(h, v, 1));
            const __m512i r = weights(blk[i] + L::q6_k::vector(h, v, 2));
#pragma GCC unroll 4
            for (int k = 0; k < 4; ++k) s[i][k] = _mm512_dpbusd_epi32(s[i][k], q6_k_quarter<Zmm>(p, q, r, k), x[k]);
          }
        }
#pragma GCC unroll 4
        for (int k = 0; k < 4; ++k) {
#pragma GCC unroll 4
          for (int i = 0; i < S; ++i) {
            const __m512i sc = sbytes_to_i32(blk[i] + L::q6_k::kScales + 16 * (8 * h + 2 * k + quad));
            isum[i] = _mm512_add_epi32(isum[i], _mm512_mullo_epi32(s[i][k], sc));
          }
        }
      }
#pragma GCC unroll 4
    for (int i = 0; i < S; ++i)
      acc[i] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(isum[i]), _mm512_mul_ps(halves(blk[i] + L::q6_k::kD), _mm512_set1_ps(a->d)),
                               acc[i]);
  }
#pragma GCC unroll 4
  for (int i = 0; i < S; ++i) _mm512_mask_storeu_ps(g[i].out, g[i].rows, acc[i]);
}

template <int S>
void q6_k_streams(const GroupArgs (&g)[S]) {
  if (g[0].split_loads) q6_k_streams_loads<S, true>(g);
  else q6_k_streams_loads<S, false>(g);
}

// Decode (one token) over S groups at once, taken from S distant parts of the range: S address
// streams per core. Several streams keep more lines in flight than one on the machine measured (the
// memory suite's read: avx512-4s 66.6 GB/s against avx512 56.0 with 2 threads on Zen 5; a Q4_0 or
// Q8_0 matrix of 140 MB: 4 streams 59-71 GB/s against one stream's 43-64, runs alternated).
template <class B, int S>
void block32_streams(const GroupArgs (&g)[S]) {
  const auto* act = reinterpret_cast<const ActQ8x32*>(g[0].act);
  __m512 acc[S];
#pragma GCC unroll 4
  for (int i = 0; i < S; ++i) acc[i] = _mm512_setzero_ps();
  for (int64_t kb = 0; kb < g[0].cols / 32; ++kb)
#pragma GCC unroll 4
    for (int i = 0; i < S; ++i) {
      const uint8_t* blk = g[i].group + kb * B::kBlock;
      prefetch_ahead<kPrefetchAhead>(blk, B::kBlock, g[i].prefetch);
      if constexpr (std::is_same_v<B, Q4_0Steps>) {
        acc[i] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(q4_0_decode_sum(blk, act + kb)),
                                 _mm512_mul_ps(B::scales(blk), _mm512_set1_ps(act[kb].d)), acc[i]);
      } else {
        __m512i w[8];
        B::unpack(blk, w);
        acc[i] = block_fma<B, 1>(w, blk, act + kb, acc[i]);
      }
    }
#pragma GCC unroll 4
  for (int i = 0; i < S; ++i) _mm512_mask_storeu_ps(g[i].out, g[i].rows, acc[i]);
}

// Float weights, 16 rows as stored; one token at a time (prefill with float weights rereads the
// group from cache), 16 accumulators reduced once per row at the end.
template <GgmlType W>
__m512 load_weights(const uint8_t* row, int64_t c) {
  if constexpr (W == GgmlType::f32) return _mm512_loadu_ps(reinterpret_cast<const float*>(row) + c);
  if constexpr (W == GgmlType::f16) return halves(row + 2 * c);
  const __m512i x = _mm512_cvtepu16_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(row + 2 * c)));
  return _mm512_castsi512_ps(_mm512_slli_epi32(x, 16));  // bf16 is the top half of an fp32
}

template <GgmlType W>
void float_group(const GroupArgs& g, int64_t n_tokens) {
  constexpr int64_t kElem = W == GgmlType::f32 ? 4 : 2;
  alignas(64) float sums[16];
  for (int64_t tok = 0; tok < n_tokens; ++tok) {
    const float* x = reinterpret_cast<const float*>(g.act + tok * g.act_stride);
    __m512 acc[16];
#pragma GCC unroll 16
    for (int r = 0; r < 16; ++r) acc[r] = _mm512_setzero_ps();
    for (int64_t c = 0; c < g.cols; c += 16) {
      const __m512 xv = _mm512_loadu_ps(x + c);
#pragma GCC unroll 16
      for (int r = 0; r < 16; ++r)
        acc[r] = _mm512_fmadd_ps(load_weights<W>(g.group + r * g.cols * kElem, c), xv, acc[r]);
    }
#pragma GCC unroll 16
    for (int r = 0; r < 16; ++r) sums[r] = _mm512_reduce_add_ps(acc[r]);
    _mm512_mask_storeu_ps(g.out + tok * g.out_stride, g.rows, _mm512_load_ps(sums));
  }
}

template <int T> struct Q4_0 { static void run(const GroupArgs& g) { block32_group<Q4_0Steps, T>(g); } };
template <int T> struct Q8_0 { static void run(const GroupArgs& g) { block32_group<Q8_0Steps, T>(g); } };
template <int T> struct MXFP4 { static void run(const GroupArgs& g) { block32_group<MXFP4Steps, T>(g); } };

// The step decoder of each 32-column block type.
template <GgmlType W> struct StepsOf;
template <> struct StepsOf<GgmlType::q4_0> { using type = Q4_0Steps; };
template <> struct StepsOf<GgmlType::q8_0> { using type = Q8_0Steps; };
template <> struct StepsOf<GgmlType::mxfp4> { using type = MXFP4Steps; };
template <GgmlType W> using Steps = typename StepsOf<W>::type;
template <int T> struct Q4_K { static void run(const GroupArgs& g) { q4_k_group<T>(g); } };
template <int T> struct Q6_K { static void run(const GroupArgs& g) { q6_k_group<T>(g); } };

// Activation quantisation, the same operations as quantize_act_row's portable loop (so the same
// bits): cvtps_epi32 rounds to nearest even, as nearbyint does in the default rounding mode.
void quantize_q8x32(GgmlType t, const float* x, int64_t cols, std::byte* dst) {
  const int32_t bias_per_unit = act_weight_offset(t);
  auto* out = reinterpret_cast<ActQ8x32*>(dst);
  for (int64_t b = 0; b < cols / 32; ++b, x += 32) {
    const __m512 x0 = _mm512_loadu_ps(x), x1 = _mm512_loadu_ps(x + 16);
    const float amax = _mm512_reduce_max_ps(_mm512_max_ps(_mm512_abs_ps(x0), _mm512_abs_ps(x1)));
    const float d = amax / 127.0f, id = d != 0 ? 1.0f / d : 0.0f;
    const __m512 vid = _mm512_set1_ps(id);
    const __m512i q0 = _mm512_cvtps_epi32(_mm512_mul_ps(x0, vid)), q1 = _mm512_cvtps_epi32(_mm512_mul_ps(x1, vid));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out[b].qs), _mm512_cvtepi32_epi8(q0));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out[b].qs + 16), _mm512_cvtepi32_epi8(q1));
    out[b].d = _cvtsh_ss(_cvtss_sh(d, _MM_FROUND_TO_NEAREST_INT));  // as llama.cpp stores it: fp16
    out[b].bias = -bias_per_unit * _mm512_reduce_add_epi32(_mm512_add_epi32(q0, q1));
  }
}

void quantize_q8x256(const float* x, int64_t cols, std::byte* dst) {
  auto* out = reinterpret_cast<ActQ8x256*>(dst);
  for (int64_t b = 0; b < cols / 256; ++b, x += 256) {
    __m512 m = _mm512_setzero_ps();
#pragma GCC unroll 16
    for (int v = 0; v < 16; ++v) m = _mm512_max_ps(m, _mm512_abs_ps(_mm512_loadu_ps(x + 16 * v)));
    const float amax = _mm512_reduce_max_ps(m);
    __builtin_memset(&out[b], 0, sizeof(ActQ8x256));
    if (amax == 0) continue;
    float max = 0;  // the first element of largest magnitude, with its sign
#pragma GCC unroll 16
    for (int v = 0; v < 16; ++v) {
      const __mmask16 hit = _mm512_cmp_ps_mask(_mm512_abs_ps(_mm512_loadu_ps(x + 16 * v)),
                                               _mm512_set1_ps(amax), _CMP_EQ_OQ);
      if (hit) {
        max = x[16 * v + __builtin_ctz(hit)];
        break;
      }
    }
    const float iscale = -127.0f / max;
    const __m512 vs = _mm512_set1_ps(iscale);
#pragma GCC unroll 16
    for (int v = 0; v < 16; ++v) {
      const __m512i q = _mm512_min_epi32(_mm512_cvtps_epi32(_mm512_mul_ps(vs, _mm512_loadu_ps(x + 16 * v))),
                                         _mm512_set1_epi32(127));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(out[b].qs + 16 * v), _mm512_cvtepi32_epi8(q));
      out[b].bsums[v] = static_cast<int16_t>(_mm512_reduce_add_epi32(q));
    }
    out[b].d = 1.0f / iscale;
  }
}

void quantize(GgmlType t, const float* x, int64_t cols, std::byte* dst) {
  if (act_format(t) == ActFormat::q8x32) quantize_q8x32(t, x, cols, dst);
  else quantize_q8x256(x, cols, dst);
}

// Tokens are taken in blocks whose activations stay in L2 while every group of the thread's range
// passes over them; a group's weights (16 rows) stay in L1 across its tiles.
constexpr int64_t kTokenBlock = 64;

// Decode's address streams per core (block32_streams). Two, not four: with four, each stream's 8
// unpacked step vectors filled the 32 registers. Zen 4, two cores, tg128 of the 1B presets with the
// read kernel between repetitions, rounds alternated, in the machine's fast mode (60-67 GB/s): Q4_0
// at 0.70-0.73 of the read bandwidth with four streams, 0.78-0.82 with two (one: 0.76-0.78, three:
// 0.77-0.80); MXFP4 0.73 against 0.79-0.85; Q8_0 0.70 against 0.85. Q6_K takes two streams too
// (q6_k_streams); Q4_K still decodes one group at a time through its tile kernel.
constexpr int kStreams = 2;

// One decode call over S groups, by type.
template <GgmlType W, int S>
void decode_streams(const GroupArgs (&g)[S]) {
  if constexpr (W == GgmlType::q6_k) q6_k_streams<S>(g);
  else block32_streams<Steps<W>, S>(g);
}

template <GgmlType W>
void matmul(const std::byte* packed, int64_t rows, int64_t cols, int64_t g0, int64_t g1, const std::byte* act,
            size_t act_stride, int64_t n_tokens, float* out, int64_t out_stride) {
  const size_t bytes = packed_group_bytes(W, cols);
  const Prefetch prefetch = prefetch_weights();
  const bool split_loads = split_wide_loads();
  auto args = [&](int64_t grp, int64_t tok0) {
    const int64_t first = grp * 16, valid = rows - first < 16 ? rows - first : 16;
    return GroupArgs{reinterpret_cast<const uint8_t*>(packed) + grp * bytes, cols,
                     reinterpret_cast<const uint8_t*>(act) + tok0 * act_stride, act_stride,
                     out + tok0 * out_stride + first, out_stride, static_cast<__mmask16>((1u << valid) - 1), prefetch,
                     split_loads};
  };
  if constexpr (W == GgmlType::q4_0 || W == GgmlType::q8_0 || W == GgmlType::mxfp4 || W == GgmlType::q6_k) {
    if (n_tokens == 1) {
      // kStreams equal parts of the range, walked in lockstep; the remainder one group at a time.
      const int64_t part = (g1 - g0) / kStreams;
      for (int64_t i = 0; i < part; ++i) {
        GroupArgs g[kStreams];
        for (int k = 0; k < kStreams; ++k) g[k] = args(g0 + k * part + i, 0);
        decode_streams<W, kStreams>(g);
      }
      for (int64_t grp = g0 + kStreams * part; grp < g1; ++grp) {
        GroupArgs g[1] = {args(grp, 0)};
        decode_streams<W, 1>(g);
      }
      return;
    }
  }
  for (int64_t tok0 = 0; tok0 < n_tokens; tok0 += kTokenBlock) {
    const int64_t block = n_tokens - tok0 < kTokenBlock ? n_tokens - tok0 : kTokenBlock;
    for (int64_t grp = g0; grp < g1; ++grp) {
      const GroupArgs g = args(grp, tok0);
      if constexpr (W == GgmlType::q4_0) Tiles<Q4_0, 8, GroupArgs>::run(g, block);
      else if constexpr (W == GgmlType::q8_0) Tiles<Q8_0, 8, GroupArgs>::run(g, block);
      else if constexpr (W == GgmlType::mxfp4) Tiles<MXFP4, 8, GroupArgs>::run(g, block);
      else if constexpr (W == GgmlType::q4_k) Tiles<Q4_K, 4, GroupArgs>::run(g, block);
      else if constexpr (W == GgmlType::q6_k) Tiles<Q6_K, 2, GroupArgs>::run(g, block);
      else float_group<W>(g, block);
    }
  }
}
}  // namespace

QuantizeActFn quantize_act_avx512(GgmlType t) {
  switch (t) {
    case GgmlType::q4_0: case GgmlType::q8_0: case GgmlType::mxfp4: case GgmlType::q4_k: case GgmlType::q6_k:
      return quantize;
    default: return nullptr;
  }
}

MatmulFn matmul_avx512vnni(GgmlType t) {
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
