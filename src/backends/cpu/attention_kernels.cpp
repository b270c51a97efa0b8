#include "backends/cpu/attention_kernels.h"

#include "backends/cpu/arch_kernels.h"
#include "backends/cpu/half.h"

namespace specgap::cpu {
namespace {
void scores_generic(const float* q, int64_t q_stride, int nq, const uint16_t* k_t, int64_t capacity, int64_t head_dim,
                    int64_t count, float scale, float* s, int64_t s_stride) {
  for (int i = 0; i < nq; ++i)
    for (int64_t j = 0; j < count; ++j) {
      float acc = 0;
      for (int64_t d = 0; d < head_dim; ++d) acc += q[i * q_stride + d] * fp16_to_float(k_t[d * capacity + j]);
      s[i * s_stride + j] = acc * scale;
    }
}

void values_generic(const float* p, int64_t p_stride, int nq, const uint16_t* v, int64_t head_dim, int64_t count,
                    float* out, int64_t out_stride) {
  for (int i = 0; i < nq; ++i)
    for (int64_t d = 0; d < head_dim; ++d) {
      float acc = 0;
      for (int64_t j = 0; j < count; ++j) acc += p[i * p_stride + j] * fp16_to_float(v[j * head_dim + d]);
      out[i * out_stride + d] = acc;
    }
}
}  // namespace

AttentionKernels generic_attention() { return {scores_generic, values_generic, "generic"}; }

AttentionKernels select_attention() {
  const auto simd = arch_attentions();
  return simd.empty() ? generic_attention() : simd.front();
}

std::vector<AttentionKernels> simd_attentions() { return arch_attentions(); }

}  // namespace specgap::cpu
