#pragma once
// The element-wise loops' shared pieces: SPECGAP_CLONES (core/target_clones.h), an exp that
// vectorises, and the element functions written with it.
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>

#include "core/target_clones.h"

namespace specgap::llm {

// e^x for x <= 0, written so that it vectorises: Cephes' expf polynomial after x = n ln2 + r, then
// 2^n assembled in the exponent bits. Relative error about 2e-7; below -87 it returns ~1e-38.
inline float exp_nonpositive(float x) {
  x = x < -87.0f ? -87.0f : x;
  const float n = std::floor(x * 1.44269504088896341f + 0.5f);
  const float r = x - n * 0.693359375f + n * 2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * r * r + r + 1.0f;
  return p * std::bit_cast<float>(static_cast<uint32_t>(static_cast<int32_t>(n) + 127) << 23);
}

// SwiGLU as GPT-OSS has it: gate clamped above at 7, up to [-7, 7], gate * sigmoid(1.702 gate) * (up + 1).
// The sigmoid as silu_mul's: e^-|x| never overflows, and one division with a selected numerator
// leaves no branch, so a row's loop vectorises.
inline float swiglu_oai(float gate, float up) {
  constexpr float kAlpha = 1.702f, kLimit = 7.0f;
  const float g = std::min(gate, kLimit), u = std::clamp(up, -kLimit, kLimit), x = kAlpha * g;
  const float e = exp_nonpositive(-std::fabs(x));
  return g * ((x >= 0 ? 1.0f : e) / (1.0f + e)) * (u + 1);
}

}  // namespace specgap::llm
