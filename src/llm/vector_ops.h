#pragma once
// The element-wise steps of the forward pass. Compiled for AVX-512 and for the baseline, chosen at
// load time (vector_ops.cpp), since at 128k-element rows and 512-token prompts their cost is not
// negligible next to the matmuls.
#include <cstdint>

namespace specgap::llm {

// out = x / sqrt(mean(x^2) + eps) * w
void rms_norm(const float* x, const float* w, int64_t n, float eps, float* out);
// out = silu(g) * u, silu(g) = g / (1 + e^-g)
void silu_mul(const float* g, const float* u, int64_t n, float* out);
// x += y
void add_to(float* x, const float* y, int64_t n);

}  // namespace specgap::llm
