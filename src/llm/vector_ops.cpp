#include "llm/vector_ops.h"

#include "llm/clones.h"

namespace specgap::llm {

SPECGAP_CLONES
void add_rms_norm(const float* x, const float* y, const float* w, int64_t n, float eps, int64_t c0, int64_t c1,
                  float* sum, float* out) {
  // Eight partial sums, so the loop vectorises without reassociating floats behind our back; every
  // member runs this same code, so they agree to the bit.
  float part[8] = {};
  int64_t i = 0;
  for (; i + 8 <= n; i += 8)
    for (int k = 0; k < 8; ++k) {
      const float v = y ? x[i + k] + y[i + k] : x[i + k];
      part[k] += v * v;
    }
  float squares = 0;
  for (; i < n; ++i) squares += y ? (x[i] + y[i]) * (x[i] + y[i]) : x[i] * x[i];
  for (float p : part) squares += p;
  const float scale = 1.0f / std::sqrt(squares / static_cast<float>(n) + eps);
  for (i = c0; i < c1; ++i) {
    sum[i] = y ? x[i] + y[i] : x[i];
    out[i] = sum[i] * scale * w[i];
  }
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
void swiglu_oai_biased(const float* g, const float* gb, const float* u, const float* ub, int64_t n, float* out) {
  for (int64_t i = 0; i < n; ++i) out[i] = swiglu_oai(g[i] + gb[i], u[i] + ub[i]);
}

}  // namespace specgap::llm
