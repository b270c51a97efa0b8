#include "llm/attention.h"

#include <algorithm>
#include <cmath>

#include "llm/clones.h"

namespace specgap::llm {
namespace {
SPECGAP_CLONES
void scores(const float* q, const KvHalf* k_t, int64_t capacity, int64_t head_dim, int64_t count, float scale,
            float* s) {
  for (int64_t j = 0; j < count; ++j) s[j] = 0;
  for (int64_t d = 0; d < head_dim; ++d) {
    const float qd = q[d] * scale;
    const KvHalf* row = k_t + d * capacity;
    for (int64_t j = 0; j < count; ++j) s[j] += qd * static_cast<float>(row[j]);
  }
}

SPECGAP_CLONES
float softmax_in_place(float* s, int64_t count) {
  float max = s[0];
  for (int64_t j = 1; j < count; ++j) max = std::max(max, s[j]);
  float sum = 0;
  for (int64_t j = 0; j < count; ++j) {
    s[j] = exp_nonpositive(s[j] - max);
    sum += s[j];
  }
  return sum;
}

SPECGAP_CLONES
void weighted_values(const float* p, const KvHalf* v, int64_t head_dim, int64_t count, float inv_sum, float* out) {
  for (int64_t d = 0; d < head_dim; ++d) out[d] = 0;
  for (int64_t j = 0; j < count; ++j) {
    const float w = p[j] * inv_sum;
    const KvHalf* row = v + j * head_dim;
    for (int64_t d = 0; d < head_dim; ++d) out[d] += w * static_cast<float>(row[d]);
  }
}
}  // namespace

void attend(const AttentionArgs& a) {
  for (int64_t i = 0; i < a.n; ++i) {
    const int64_t count = a.first_pos + i + 1;
    scores(a.q + i * a.q_stride, a.k_t, a.capacity, a.head_dim, count, a.scale, a.scratch);
    const float sum = softmax_in_place(a.scratch, count);
    weighted_values(a.scratch, a.v, a.head_dim, count, 1.0f / sum, a.out + i * a.out_stride);
  }
}

}  // namespace specgap::llm
