// AVX2 attention products over the fp16 cache (attention_kernels.h), for cores without AVX-512:
// vcvtph2ps (F16C) widens 8 halves per load, and each widened vector feeds one FMA per query.
#include <immintrin.h>

#include "backends/cpu/arch/x86_64/x86_tables.h"

namespace specgap::cpu {
namespace {
inline __m256 halves(const uint16_t* p) { return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p))); }

// JB vectors of 8 positions at a time for NQ queries. The FMAs over the head's dimensions form one
// dependent chain per accumulator, so a lone query (decode) takes 4 vectors, 32 positions, one cache
// line of each dimension's row, to keep 4 chains in flight instead of waiting out one. The cache's
// capacity is padded to 16, so a partial last vector of 8 stays inside it, and only `count` results
// are stored.
template <int NQ, int JB>
int64_t scores_tile(const float* q, int64_t q_stride, const uint16_t* k_t, int64_t capacity, int64_t head_dim,
                    int64_t j, int64_t end, float scale, float* s, int64_t s_stride) {
  const __m256 vscale = _mm256_set1_ps(scale);
  for (; j < end; j += 8 * JB) {
    __m256 acc[NQ][JB];
#pragma GCC unroll 4
    for (int i = 0; i < NQ; ++i)
#pragma GCC unroll 4
      for (int b = 0; b < JB; ++b) acc[i][b] = _mm256_setzero_ps();
    for (int64_t d = 0; d < head_dim; ++d) {
      __m256 k[JB];
#pragma GCC unroll 4
      for (int b = 0; b < JB; ++b) k[b] = halves(k_t + d * capacity + j + 8 * b);
#pragma GCC unroll 4
      for (int i = 0; i < NQ; ++i) {
        const __m256 qd = _mm256_set1_ps(q[i * q_stride + d]);
#pragma GCC unroll 4
        for (int b = 0; b < JB; ++b) acc[i][b] = _mm256_fmadd_ps(qd, k[b], acc[i][b]);
      }
    }
    const int64_t left = end - j;
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
#pragma GCC unroll 4
    for (int b = 0; b < JB; ++b) {
      const int64_t n = left - 8 * b;
      const __m256i mask = _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(n < 8 ? n : 8)), lane);
#pragma GCC unroll 4
      for (int i = 0; i < NQ; ++i) _mm256_maskstore_ps(s + i * s_stride + j + 8 * b, mask, _mm256_mul_ps(acc[i][b], vscale));
    }
  }
  return j;
}

// Whole tiles of JB vectors while they fit in `count`, then single vectors for the rest.
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
    case 3: return scores_rows<3, 1>(q, q_stride, k_t, capacity, head_dim, count, scale, s, s_stride);
    default: return scores_rows<4, 1>(q, q_stride, k_t, capacity, head_dim, count, scale, s, s_stride);
  }
}

// W vectors (8 dims each) of the output for NQ queries: at most 2 x 4 accumulators, so they and the
// 4 widened values stay in the 16 registers.
template <int NQ, int W>
void values_tile(const float* p, int64_t p_stride, const uint16_t* v, int64_t head_dim, int64_t count, float* out,
                 int64_t out_stride) {
  __m256 acc[NQ][W];
#pragma GCC unroll 2
  for (int i = 0; i < NQ; ++i)
#pragma GCC unroll 4
    for (int c = 0; c < W; ++c) acc[i][c] = _mm256_setzero_ps();
  for (int64_t j = 0; j < count; ++j) {
    __m256 vv[W];
#pragma GCC unroll 4
    for (int c = 0; c < W; ++c) vv[c] = halves(v + j * head_dim + 8 * c);
#pragma GCC unroll 2
    for (int i = 0; i < NQ; ++i) {
      const __m256 w = _mm256_set1_ps(p[i * p_stride + j]);
#pragma GCC unroll 4
      for (int c = 0; c < W; ++c) acc[i][c] = _mm256_fmadd_ps(w, vv[c], acc[i][c]);
    }
  }
#pragma GCC unroll 2
  for (int i = 0; i < NQ; ++i)
#pragma GCC unroll 4
    for (int c = 0; c < W; ++c) _mm256_storeu_ps(out + i * out_stride + 8 * c, acc[i][c]);
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

AttentionKernels attention_avx2() { return {scores, values, "avx2"}; }

}  // namespace specgap::cpu
