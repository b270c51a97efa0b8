#pragma once
// The element-wise steps of the forward pass. Compiled for AVX-512, for AVX2 and for the baseline,
// chosen at load time (core/target_clones.h), since at 128k-element rows and 512-token prompts their cost is not
// negligible next to the matmuls.
#include <cstdint>

namespace specgap::llm {

// The residual add and the RMS norm after it, for columns [c0, c1) of one row of n: sum = x + y
// (x alone when y is null), out = sum / sqrt(mean(sum^2) + eps) * w. The mean is over the whole
// row, so members that each write a part of the row agree on it; sum goes to its own buffer, since
// the others still read x.
void add_rms_norm(const float* x, const float* y, const float* w, int64_t n, float eps, int64_t c0, int64_t c1,
                  float* sum, float* out);
// out = silu(g) * u, silu(g) = g / (1 + e^-g)
void silu_mul(const float* g, const float* u, int64_t n, float* out);
// out = swiglu_oai(g + gb, u + ub) (llm/clones.h), GPT-OSS's gated unit with its two biases.
void swiglu_oai_biased(const float* g, const float* gb, const float* u, const float* ub, int64_t n, float* out);

}  // namespace specgap::llm
