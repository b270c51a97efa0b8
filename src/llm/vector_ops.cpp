#include "llm/vector_ops.h"

#include "llm/clones.h"

namespace specgap::llm {

SPECGAP_CLONES
void rms_norm(const float* x, const float* w, int64_t n, float eps, float* out) {
  float sum = 0;
  for (int64_t i = 0; i < n; ++i) sum += x[i] * x[i];
  const float scale = 1.0f / std::sqrt(sum / static_cast<float>(n) + eps);
  for (int64_t i = 0; i < n; ++i) out[i] = x[i] * scale * w[i];
}

SPECGAP_CLONES
void silu_mul(const float* g, const float* u, int64_t n, float* out) {
  for (int64_t i = 0; i < n; ++i) {
    // e^-|g| never overflows; sigmoid(g) = 1/(1+e) for g >= 0 and e/(1+e) below. One division with
    // a selected numerator, so the loop has no branch and vectorises.
    const float e = exp_nonpositive(-std::fabs(g[i]));
    const float sigmoid = (g[i] >= 0 ? 1.0f : e) / (1.0f + e);
    out[i] = g[i] * sigmoid * u[i];
  }
}

SPECGAP_CLONES
void add_to(float* x, const float* y, int64_t n) {
  for (int64_t i = 0; i < n; ++i) x[i] += y[i];
}

}  // namespace specgap::llm
