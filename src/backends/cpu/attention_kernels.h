#pragma once
// The two products of attention over an fp16 KV cache, for a tile of up to kAttnTile queries of one
// head: scores against keys stored transposed ([dim][position], so 16 positions are one vector), and
// the probability-weighted sum of values ([position][dim]). A tile shares every K and V load among
// its queries, which is what makes a 512-token prompt's attention cheap next to its matmuls.
#include <cstdint>
#include <string>
#include <vector>

namespace specgap::cpu {

constexpr int kAttnTile = 4;

struct AttentionKernels {
  // s[i * s_stride + j] = scale * sum_d q[i * q_stride + d] * k_t[d * capacity + j], for i < nq and
  // j < count (count a multiple of 16 is fastest; any count works).
  void (*scores)(const float* q, int64_t q_stride, int nq, const uint16_t* k_t, int64_t capacity, int64_t head_dim,
                 int64_t count, float scale, float* s, int64_t s_stride);
  // out[i * out_stride + d] = sum_j p[i * p_stride + j] * v[j * head_dim + d], for i < nq, j < count.
  void (*values)(const float* p, int64_t p_stride, int nq, const uint16_t* v, int64_t head_dim, int64_t count,
                 float* out, int64_t out_stride);
  std::string isa;
};

// The fastest pair this CPU runs; head_dim must be a multiple of 16.
AttentionKernels select_attention();
// Every SIMD pair this CPU runs, fastest first (the tests check each against the portable loops).
std::vector<AttentionKernels> simd_attentions();
AttentionKernels generic_attention();

}  // namespace specgap::cpu
