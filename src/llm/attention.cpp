#include "llm/attention.h"

#include "llm/clones.h"

namespace specgap::llm {
namespace {
// Turns a row of scores into probabilities over its first `count` entries and zeroes the rest up to
// `width`, so a tile's rows of different lengths can share one weighted sum.
SPECGAP_CLONES
void softmax_row(float* s, int64_t count, int64_t width) {
  float max = s[0];
  for (int64_t j = 1; j < count; ++j) max = std::max(max, s[j]);
  float sum = 0;
  for (int64_t j = 0; j < count; ++j) {
    s[j] = exp_nonpositive(s[j] - max);
    sum += s[j];
  }
  const float inv = 1.0f / sum;
  for (int64_t j = 0; j < count; ++j) s[j] *= inv;
  for (int64_t j = count; j < width; ++j) s[j] = 0;
}
}  // namespace

void attend(const cpu::AttentionKernels& k, const AttentionArgs& a) {
  for (int64_t i0 = 0; i0 < a.n; i0 += cpu::kAttnTile) {
    const int nq = static_cast<int>(std::min<int64_t>(cpu::kAttnTile, a.n - i0));
    const int64_t width = a.first_pos + i0 + nq;  // keys the tile's last query sees
    k.scores(a.q + i0 * a.q_stride, a.q_stride, nq, a.k_t, a.capacity, a.head_dim, width, a.scale, a.scratch, a.capacity);
    for (int i = 0; i < nq; ++i) softmax_row(a.scratch + i * a.capacity, a.first_pos + i0 + i + 1, width);
    k.values(a.scratch, a.capacity, nq, a.v, a.head_dim, width, a.out + i0 * a.out_stride, a.out_stride);
  }
}

}  // namespace specgap::llm
