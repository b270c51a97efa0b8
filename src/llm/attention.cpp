#include "llm/attention.h"

#include "llm/clones.h"

namespace specgap::llm {
namespace {
// Turns a row of scores into probabilities over entries [from, count) and zeroes the rest up to
// `width`, so a tile's rows of different lengths can share one weighted sum. A sink logit (scaled as
// the scores are not: it is a logit already) adds exp(sink - max) to the denominator only.
SPECGAP_CLONES
void softmax_row(float* s, int64_t from, int64_t count, int64_t width, const float* sink) {
  float max = sink ? *sink : s[from];
  for (int64_t j = from; j < count; ++j) max = std::max(max, s[j]);
  float sum = sink ? exp_nonpositive(*sink - max) : 0.0f;
  for (int64_t j = 0; j < from; ++j) s[j] = 0;
  for (int64_t j = from; j < count; ++j) {
    s[j] = exp_nonpositive(s[j] - max);
    sum += s[j];
  }
  const float inv = 1.0f / sum;
  for (int64_t j = from; j < count; ++j) s[j] *= inv;
  for (int64_t j = count; j < width; ++j) s[j] = 0;
}
}  // namespace

void attend(const cpu::AttentionKernels& k, const AttentionArgs& a) {
  for (int64_t i0 = 0; i0 < a.n; i0 += cpu::kAttnTile) {
    const int nq = static_cast<int>(std::min<int64_t>(cpu::kAttnTile, a.n - i0));
    const int64_t width = a.first_pos + i0 + nq;  // keys the tile's last query sees
    // With a window, the tile's keys start at what its first query sees, rounded down to 16 so that
    // the kernels' 16-wide reads stay within the padded cache.
    const int64_t first_key = a.window ? std::max<int64_t>(0, a.first_pos + i0 - a.window + 1) / 16 * 16 : 0;
    const int64_t keys = width - first_key;
    k.scores(a.q + i0 * a.q_stride, a.q_stride, nq, a.k_t + (first_key - a.first_slot), a.capacity, a.head_dim, keys, a.scale,
             a.scratch, a.capacity);
    for (int i = 0; i < nq; ++i) {
      const int64_t pos = a.first_pos + i0 + i;
      const int64_t from = a.window ? std::max<int64_t>(0, pos - a.window + 1) - first_key : 0;
      softmax_row(a.scratch + i * a.capacity, from, pos + 1 - first_key, keys, a.sink);
    }
    k.values(a.scratch, a.capacity, nq, a.v + (first_key - a.first_slot) * a.head_dim, a.head_dim, keys, a.out + i0 * a.out_stride,
             a.out_stride);
  }
}

}  // namespace specgap::llm
