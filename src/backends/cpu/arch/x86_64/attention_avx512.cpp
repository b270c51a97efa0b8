// AVX-512 attention products over the fp16 cache (attention_kernels.h): vcvtph2ps widens 16 halves
// per load, and each widened vector feeds one FMA per query of the tile.
#include <immintrin.h>

#include "backends/cpu/arch/x86_64/x86_tables.h"

namespace specgap::cpu {
namespace {
inline __m512 halves(const uint16_t* p) { return _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p))); }

// Reads 16 positions at a time; the cache's capacity is padded to 16, so a partial last vector stays
// inside it, and only `count` results are stored.
template <int NQ>
void scores_tile(const float* q, int64_t q_stride, const uint16_t* k_t, int64_t capacity, int64_t head_dim,
                 int64_t count, float scale, float* s, int64_t s_stride) {
  const __m512 vscale = _mm512_set1_ps(scale);
  for (int64_t j = 0; j < count; j += 16) {
    __m512 acc[NQ];
#pragma GCC unroll 4
    for (int i = 0; i < NQ; ++i) acc[i] = _mm512_setzero_ps();
    for (int64_t d = 0; d < head_dim; ++d) {
      const __m512 k = halves(k_t + d * capacity + j);
#pragma GCC unroll 4
      for (int i = 0; i < NQ; ++i) acc[i] = _mm512_fmadd_ps(_mm512_set1_ps(q[i * q_stride + d]), k, acc[i]);
    }
    const int64_t left = count - j;
    const __mmask16 mask = left >= 16 ? 0xFFFF : static_cast<__mmask16>((1u << left) - 1);
#pragma GCC unroll 4
    for (int i = 0; i < NQ; ++i) _mm512_mask_storeu_ps(s + i * s_stride + j, mask, _mm512_mul_ps(acc[i], vscale));
  }
}

void scores(const float* q, int64_t q_stride, int nq, const uint16_t* k_t, int64_t capacity, int64_t head_dim,
            int64_t count, float scale, float* s, int64_t s_stride) {
  switch (nq) {
    case 1: return scores_tile<1>(q, q_stride, k_t, capacity, head_dim, count, scale, s, s_stride);
    case 2: return scores_tile<2>(q, q_stride, k_t, capacity, head_dim, count, scale, s, s_stride);
    case 3: return scores_tile<3>(q, q_stride, k_t, capacity, head_dim, count, scale, s, s_stride);
    default: return scores_tile<4>(q, q_stride, k_t, capacity, head_dim, count, scale, s, s_stride);
  }
}

// W vectors (16 dims each) of the output at a time, for NQ queries.
template <int NQ, int W>
void values_tile(const float* p, int64_t p_stride, const uint16_t* v, int64_t head_dim, int64_t count, float* out,
                 int64_t out_stride) {
  __m512 acc[NQ][W];
#pragma GCC unroll 4
  for (int i = 0; i < NQ; ++i)
#pragma GCC unroll 4
    for (int c = 0; c < W; ++c) acc[i][c] = _mm512_setzero_ps();
  for (int64_t j = 0; j < count; ++j) {
    __m512 vv[W];
#pragma GCC unroll 4
    for (int c = 0; c < W; ++c) vv[c] = halves(v + j * head_dim + 16 * c);
#pragma GCC unroll 4
    for (int i = 0; i < NQ; ++i) {
      const __m512 w = _mm512_set1_ps(p[i * p_stride + j]);
#pragma GCC unroll 4
      for (int c = 0; c < W; ++c) acc[i][c] = _mm512_fmadd_ps(w, vv[c], acc[i][c]);
    }
  }
#pragma GCC unroll 4
  for (int i = 0; i < NQ; ++i)
#pragma GCC unroll 4
    for (int c = 0; c < W; ++c) _mm512_storeu_ps(out + i * out_stride + 16 * c, acc[i][c]);
}

template <int NQ>
void values_width(const float* p, int64_t p_stride, const uint16_t* v, int64_t head_dim, int64_t count, float* out,
                  int64_t out_stride) {
  for (int64_t d = 0; d < head_dim; d += 64) {
    const int64_t w = (head_dim - d) / 16;
    if (w >= 4) values_tile<NQ, 4>(p, p_stride, v + d, head_dim, count, out + d, out_stride);
    else if (w == 3) values_tile<NQ, 3>(p, p_stride, v + d, head_dim, count, out + d, out_stride);
    else if (w == 2) values_tile<NQ, 2>(p, p_stride, v + d, head_dim, count, out + d, out_stride);
    else values_tile<NQ, 1>(p, p_stride, v + d, head_dim, count, out + d, out_stride);
  }
}

void values(const float* p, int64_t p_stride, int nq, const uint16_t* v, int64_t head_dim, int64_t count, float* out,
            int64_t out_stride) {
  switch (nq) {
    case 1: return values_width<1>(p, p_stride, v, head_dim, count, out, out_stride);
    case 2: return values_width<2>(p, p_stride, v, head_dim, count, out, out_stride);
    case 3: return values_width<3>(p, p_stride, v, head_dim, count, out, out_stride);
    default: return values_width<4>(p, p_stride, v, head_dim, count, out, out_stride);
  }
}
}  // namespace

AttentionKernels attention_avx512() { return {scores, values, "avx512"}; }

}  // namespace specgap::cpu
