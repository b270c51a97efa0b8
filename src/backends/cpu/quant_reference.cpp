#include "backends/cpu/quant_reference.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/error.h"

namespace specgap::cpu {
namespace {

// Blocks in a row of n elements; throws when n is negative or not whole blocks.
int64_t blocks_in_row(const char* what, GgmlType type, int64_t n) {
  const int64_t block = traits(type).block_elems;
  if (n < 0 || n % block != 0)
    throw Error(fmt::format("{}: a row of {} {} elements is not a whole number of {}-element blocks", what, n,
                            to_string(type), block));
  return n / block;
}

[[noreturn]] void unsupported(const char* what, GgmlType type) {
  throw Error(fmt::format("{}: no scalar reference for tensor type {} (it takes f32, f16, bf16, q8_0, q4_0, "
                          "q4_k, q6_k, q8_k, mxfp4)",
                          what, to_string(type)));
}

// Round to nearest, ties to even (ggml's nearest_int), under the default rounding mode.
int nearest_int(float v) { return static_cast<int>(std::nearbyint(v)); }

// The smallest fp16 at or above v (v >= 0), capped at the largest finite fp16. A super-block scale
// rounded up keeps every sub-block scale it divides within its bit range, and a positive value never
// becomes 0.
half_bits fp16_at_least(double v) {
  if (!(v < 65504.0)) return 0x7bff;
  half_bits h = float_to_fp16(static_cast<float>(v));
  while (fp16_to_float(h) < v) ++h;  // positive fp16 bits are ordered as their values
  return h;
}

// ---- dequantisation: ggml's formulas, in the loop shapes llm.md §2.2 gives them ----

void dequantize_q8_0(const BlockQ8_0* x, float* y, int64_t blocks) {
  for (int64_t b = 0; b < blocks; ++b, y += kQK) {
    const float d = fp16_to_float(x[b].d);
    for (int j = 0; j < kQK; ++j) y[j] = d * static_cast<float>(x[b].qs[j]);
  }
}

void dequantize_q4_0(const BlockQ4_0* x, float* y, int64_t blocks) {
  for (int64_t b = 0; b < blocks; ++b, y += kQK) {
    const float d = fp16_to_float(x[b].d);
    // Low nibbles are the first half of the block, high nibbles the second (not interleaved).
    for (int j = 0; j < kQK / 2; ++j) {
      y[j] = static_cast<float>((x[b].qs[j] & 0x0F) - 8) * d;
      y[j + kQK / 2] = static_cast<float>((x[b].qs[j] >> 4) - 8) * d;
    }
  }
}

void dequantize_mxfp4(const BlockMXFP4* x, float* y, int64_t blocks) {
  for (int64_t b = 0; b < blocks; ++b, y += kQK) {
    const float d = e8m0_half(x[b].e);
    for (int j = 0; j < kQK / 2; ++j) {
      y[j] = static_cast<float>(kMXFP4Values[x[b].qs[j] & 0x0F]) * d;
      y[j + kQK / 2] = static_cast<float>(kMXFP4Values[x[b].qs[j] >> 4]) * d;
    }
  }
}

void dequantize_q4_K(const BlockQ4_K* x, float* y, int64_t blocks) {
  for (int64_t b = 0; b < blocks; ++b) {
    const float d = fp16_to_float(x[b].d);
    const float dmin = fp16_to_float(x[b].dmin);
    // Four chunks of 64 outputs; chunk c reads 32 bytes, low nibbles for sub-block 2c, high for 2c+1.
    for (int c = 0; c < 4; ++c, y += 64) {
      const uint8_t* q = x[b].qs + 32 * c;
      const Q4KScaleMin lo = q4_K_scale_min(x[b].scales, 2 * c);
      const Q4KScaleMin hi = q4_K_scale_min(x[b].scales, 2 * c + 1);
      const float d1 = d * static_cast<float>(lo.scale), m1 = dmin * static_cast<float>(lo.min);
      const float d2 = d * static_cast<float>(hi.scale), m2 = dmin * static_cast<float>(hi.min);
      for (int l = 0; l < 32; ++l) y[l] = d1 * static_cast<float>(q[l] & 0x0F) - m1;
      for (int l = 0; l < 32; ++l) y[32 + l] = d2 * static_cast<float>(q[l] >> 4) - m2;
    }
  }
}

void dequantize_q6_K(const BlockQ6_K* x, float* y, int64_t blocks) {
  for (int64_t b = 0; b < blocks; ++b) {
    const float d = fp16_to_float(x[b].d);
    // Two halves of 128 outputs; each reads 64 bytes of ql, 32 of qh and 8 scales.
    for (int half = 0; half < 2; ++half, y += 128) {
      const uint8_t* ql = x[b].ql + 64 * half;
      const uint8_t* qh = x[b].qh + 32 * half;
      const int8_t* sc = x[b].scales + 8 * half;
      for (int l = 0; l < 32; ++l) {
        const int is = l / 16;
        const int q1 = ((ql[l] & 0xF) | ((qh[l] >> 0 & 3) << 4)) - 32;
        const int q2 = ((ql[l + 32] & 0xF) | ((qh[l] >> 2 & 3) << 4)) - 32;
        const int q3 = ((ql[l] >> 4) | ((qh[l] >> 4 & 3) << 4)) - 32;
        const int q4 = ((ql[l + 32] >> 4) | ((qh[l] >> 6 & 3) << 4)) - 32;
        y[l] = d * static_cast<float>(sc[is + 0]) * static_cast<float>(q1);
        y[l + 32] = d * static_cast<float>(sc[is + 2]) * static_cast<float>(q2);
        y[l + 64] = d * static_cast<float>(sc[is + 4]) * static_cast<float>(q3);
        y[l + 96] = d * static_cast<float>(sc[is + 6]) * static_cast<float>(q4);
      }
    }
  }
}

void dequantize_q8_K(const BlockQ8_K* x, float* y, int64_t blocks) {
  for (int64_t b = 0; b < blocks; ++b, y += kQKK)
    for (int j = 0; j < kQKK; ++j) y[j] = x[b].d * static_cast<float>(x[b].qs[j]);
}

// ---- quantisation ----

void quantize_q4_0(const float* x, BlockQ4_0* y, int64_t blocks) {
  for (int64_t b = 0; b < blocks; ++b, x += kQK) {
    float amax = 0.0f, max = 0.0f;  // max: the signed value of largest magnitude
    for (int j = 0; j < kQK; ++j)
      if (std::fabs(x[j]) > amax) amax = std::fabs(x[j]), max = x[j];
    const float d = max / -8.0f;  // the extreme maps to q = 0 (value -8 d), the full side of the grid
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    y[b].d = float_to_fp16(d);
    for (int j = 0; j < kQK / 2; ++j) {
      // x/d + 8.5 lies in [0.5, 16.5]: truncation is round-half-up, 16 is clamped to 15.
      const int q0 = std::min(15, static_cast<int>(x[j] * id + 8.5f));
      const int q1 = std::min(15, static_cast<int>(x[j + kQK / 2] * id + 8.5f));
      y[b].qs[j] = static_cast<uint8_t>(q0 | q1 << 4);
    }
  }
}

// Q4_K sub-block j's 6-bit scale and min into scales[12], the inverse of q4_K_scale_min: bytes 0..3
// hold the scales of 0..3 and the top 2 bits of the scales of 4..7; bytes 4..7 the mins of 0..3 and the
// top 2 bits of the mins of 4..7; bytes 8..11 the low 4 bits of scale (low nibble) and min of 4..7.
// The code whose value (times d) is nearest x; the first such on a tie (ggml's best_index_mxfp4).
uint8_t nearest_mxfp4(float x, float d) {
  uint8_t best = 0;
  float best_err = std::fabs(static_cast<float>(kMXFP4Values[0]) * d - x);
  for (uint8_t c = 1; c < 16; ++c) {
    const float err = std::fabs(static_cast<float>(kMXFP4Values[c]) * d - x);
    if (err < best_err) best = c, best_err = err;
  }
  return best;
}

void quantize_mxfp4(const float* x, BlockMXFP4* y, int64_t blocks) {
  for (int64_t b = 0; b < blocks; ++b, x += kQK) {
    float amax = 0.0f;
    for (int j = 0; j < kQK; ++j) amax = std::max(amax, std::fabs(x[j]));
    // floor(log2(amax)) is in [-149, 127]: e in [0, 254] once clamped (a tiny block's scale is 2^-127).
    const int e = amax > 0.0f ? std::clamp(static_cast<int>(std::floor(std::log2(amax))) - 2 + 127, 0, 254) : 0;
    y[b].e = static_cast<uint8_t>(e);
    const float d = e8m0_half(y[b].e);
    for (int j = 0; j < kQK / 2; ++j)
      y[b].qs[j] = static_cast<uint8_t>(nearest_mxfp4(x[j], d) | nearest_mxfp4(x[j + kQK / 2], d) << 4);
  }
}

void pack_q4_K_scales(const uint8_t* sc, const uint8_t* m, uint8_t* scales) {
  for (int j = 0; j < 4; ++j) {
    scales[j] = static_cast<uint8_t>((sc[j] & 63) | (sc[j + 4] >> 4) << 6);
    scales[j + 4] = static_cast<uint8_t>((m[j] & 63) | (m[j + 4] >> 4) << 6);
    scales[j + 8] = static_cast<uint8_t>((sc[j + 4] & 0xF) | (m[j + 4] & 0xF) << 4);
  }
}

// Per sub-block of 32 the grid y = s*q - m', q in 0..15, must span [min(x, 0), max(x)]: m' >= -min
// and 15 s - m' >= max. Both are stored as 6-bit multiples of the super-block's fp16 dmin and d, so
// each is rounded UP (dmin and d first, from the largest need, then each multiple), which keeps the
// span; then every x is rounded to the nearest grid point, at most half a step away.
void quantize_q4_K(const float* x, BlockQ4_K* y, int64_t blocks) {
  for (int64_t b = 0; b < blocks; ++b, x += kQKK) {
    double need_min[8], high[8];
    double max_min = 0.0;
    for (int j = 0; j < 8; ++j) {
      float lo = x[32 * j], hi = x[32 * j];
      for (int l = 1; l < 32; ++l) lo = std::min(lo, x[32 * j + l]), hi = std::max(hi, x[32 * j + l]);
      need_min[j] = std::max(0.0, -static_cast<double>(lo));
      high[j] = hi;
      max_min = std::max(max_min, need_min[j]);
    }
    y[b].dmin = fp16_at_least(max_min / 63.0);
    const double dmin = fp16_to_float(y[b].dmin);
    uint8_t mins[8], scs[8];
    double need_scale[8], max_scale = 0.0;
    for (int j = 0; j < 8; ++j) {
      mins[j] = dmin > 0.0 ? static_cast<uint8_t>(std::min(63.0, std::ceil(need_min[j] / dmin))) : 0;
      need_scale[j] = std::max(0.0, (high[j] + dmin * mins[j]) / 15.0);
      max_scale = std::max(max_scale, need_scale[j]);
    }
    y[b].d = fp16_at_least(max_scale / 63.0);
    const double d = fp16_to_float(y[b].d);
    for (int j = 0; j < 8; ++j)
      scs[j] = d > 0.0 ? static_cast<uint8_t>(std::min(63.0, std::ceil(need_scale[j] / d))) : 0;
    pack_q4_K_scales(scs, mins, y[b].scales);

    // The stored grid, exactly as dequantisation computes it (fp16 x 6-bit products are exact in float).
    std::memset(y[b].qs, 0, sizeof y[b].qs);
    for (int j = 0; j < 8; ++j) {
      const float step = static_cast<float>(d) * scs[j];
      const float offset = static_cast<float>(dmin) * mins[j];
      for (int l = 0; l < 32; ++l) {
        const int q = step > 0.0f ? std::clamp(nearest_int((x[32 * j + l] + offset) / step), 0, 15) : 0;
        // Sub-block j: bytes 32*(j/2)..+31, low nibbles for even j, high for odd.
        y[b].qs[32 * (j / 2) + l] |= static_cast<uint8_t>(q << (4 * (j % 2)));
      }
    }
  }
}

// Per sub-block of 16, ggml's symmetric choice: s = xm / -32 with xm the signed value of largest
// magnitude, so xm lands on q-32 = -32, the long side of the grid. The int8 scales are multiples of
// the super-block's fp16 d (from the largest |s| / 127, rounded up), rounded away from zero, so |d*sc|
// >= |s| and xm stays on the grid; values are then rounded to the nearest grid point.
void quantize_q6_K(const float* x, BlockQ6_K* y, int64_t blocks) {
  for (int64_t b = 0; b < blocks; ++b, x += kQKK) {
    double s[16], max_abs = 0.0;
    for (int j = 0; j < 16; ++j) {
      float amax = 0.0f, xm = 0.0f;
      for (int l = 0; l < 16; ++l)
        if (std::fabs(x[16 * j + l]) > amax) amax = std::fabs(x[16 * j + l]), xm = x[16 * j + l];
      s[j] = xm / -32.0;
      max_abs = std::max(max_abs, std::fabs(s[j]));
    }
    y[b].d = fp16_at_least(max_abs / 127.0);
    const double d = fp16_to_float(y[b].d);
    for (int j = 0; j < 16; ++j) {
      const double magnitude = d > 0.0 ? std::min(127.0, std::ceil(std::fabs(s[j]) / d)) : 0.0;
      y[b].scales[j] = static_cast<int8_t>(s[j] < 0.0 ? -magnitude : magnitude);
    }

    std::memset(y[b].ql, 0, sizeof y[b].ql);
    std::memset(y[b].qh, 0, sizeof y[b].qh);
    for (int e = 0; e < kQKK; ++e) {
      const float step = static_cast<float>(d) * y[b].scales[e / 16];  // exact: 11 x 8 bits
      const int q = step != 0.0f ? std::clamp(nearest_int(x[e] / step), -32, 31) + 32 : 32;
      // Element e = 128 h + 32 k + l: low 4 bits in ql[64 h + l + 32 (k & 1)] (low nibble for k < 2),
      // high 2 bits in qh[32 h + l] at bit 2k.
      const int h = e / 128, k = (e % 128) / 32, l = e % 32;
      y[b].ql[64 * h + l + 32 * (k & 1)] |= static_cast<uint8_t>((q & 0xF) << (4 * (k >> 1)));
      y[b].qh[32 * h + l] |= static_cast<uint8_t>((q >> 4) << (2 * k));
    }
  }
}

// The 6-bit quant of element e (0..255) of a Q6_K block, by the element's address rather than by
// the dequantisation loop (the dot product uses it, so the tests cross-check the two).
int q6_K_quant(const BlockQ6_K& x, int e) {
  const int h = e / 128, k = (e % 128) / 32, l = e % 32;
  const int low = (x.ql[64 * h + l + 32 * (k & 1)] >> (4 * (k >> 1))) & 0xF;
  const int high = (x.qh[32 * h + l] >> (2 * k)) & 3;
  return low | high << 4;
}

// ---- random rows ----

// splitmix64: 64 good bits per step, the same sequence everywhere.
struct SplitMix64 {
  uint64_t state;
  uint64_t next() {
    uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, 1) from the top 24 bits (one per block: float work per block is cheap).
  float uniform() { return static_cast<float>(next() >> 40) * 0x1p-24f; }
  // n random bytes, 8 from each step.
  void bytes(uint8_t* p, int n) {
    for (int i = 0; i < n; i += 8) {
      const uint64_t r = next();
      for (int k = 0; k < 8 && i + k < n; ++k) p[i + k] = static_cast<uint8_t>(r >> (8 * k));
    }
  }
  // n int8 quants uniform over [-127, 127] with 0 twice as likely: -128 becomes 0 (mean stays 0, and
  // kernels that take |q| through a sign trick never see the one value whose negation overflows).
  void quants(int8_t* p, int n) {
    bytes(reinterpret_cast<uint8_t*>(p), n);
    for (int i = 0; i < n; ++i) p[i] = p[i] == -128 ? int8_t{0} : p[i];
  }
};

// Root mean square of such int8 quants: sqrt(2 * sum_{k=1}^{127} k^2 / 256).
const double kInt8QuantRms = std::sqrt(2.0 * (127.0 * 128.0 * 255.0 / 6.0) / 256.0);
// Per-block scale jitter f uniform in [0.75, 1.25): E[f^2] = 1 + 0.5^2/12.
constexpr double kJitterMeanSquare = 1.0 + 0.25 / 12.0;

float jitter(SplitMix64& rng) { return 0.75f + 0.5f * rng.uniform(); }

// A positive finite fp16 however small or large the value asked for.
half_bits positive_fp16(double v) { return std::clamp<half_bits>(float_to_fp16(static_cast<float>(v)), 1, 0x7bff); }

// Irwin-Hall: four uniform 16-bit draws summed, centred and scaled to unit variance.
// Twice the centred sum is an odd integer below 2^19 in magnitude: exact in float.
float unit_noise(uint64_t r) {
  static const float kScale = static_cast<float>(0.5 / std::sqrt((65536.0 * 65536.0 - 1.0) / 3.0));
  const auto sum = static_cast<int32_t>((r & 0xffff) + (r >> 16 & 0xffff) + (r >> 32 & 0xffff) + (r >> 48));
  return static_cast<float>(2 * sum - 4 * 65535) * kScale;
}

void random_q8_0(SplitMix64& rng, BlockQ8_0* y, int64_t blocks, double std) {
  for (int64_t b = 0; b < blocks; ++b) {
    y[b].d = positive_fp16(std * jitter(rng) / (kInt8QuantRms * std::sqrt(kJitterMeanSquare)));
    rng.quants(y[b].qs, kQK);
  }
}

void random_q8_K(SplitMix64& rng, BlockQ8_K* y, int64_t blocks, double std) {
  for (int64_t b = 0; b < blocks; ++b) {
    y[b].d = static_cast<float>(std * jitter(rng) / (kInt8QuantRms * std::sqrt(kJitterMeanSquare)));
    rng.quants(y[b].qs, kQKK);
    for (int g = 0; g < kQKK / 16; ++g) {
      int sum = 0;
      for (int l = 0; l < 16; ++l) sum += y[b].qs[16 * g + l];
      y[b].bsums[g] = static_cast<int16_t>(sum);
    }
  }
}

void random_q4_0(SplitMix64& rng, BlockQ4_0* y, int64_t blocks, double std) {
  // Uniform nibbles: E[(q-8)^2] = var + mean^2 = 255/12 + 0.25 = 21.5.
  for (int64_t b = 0; b < blocks; ++b) {
    y[b].d = positive_fp16(std * jitter(rng) / std::sqrt(21.5 * kJitterMeanSquare));
    rng.bytes(y[b].qs, kQK / 2);
  }
}

void random_mxfp4(SplitMix64& rng, BlockMXFP4* y, int64_t blocks, double std) {
  // Uniform codes: E[v^2] = 2 * (0 + 1 + 4 + 9 + 16 + 36 + 64 + 144) / 16 = 34.25 (doubled codes).
  const double rms = std::sqrt(34.25);
  // s0 = rms * 2^(e0-128) <= std < 2 s0; e0 + 1 (mean square 4 s0^2) on a share p of the blocks:
  // (1 - p) s0^2 + 4 p s0^2 = std^2.
  const int e0 = std::clamp(static_cast<int>(std::floor(std::log2(std / rms))) + 128, 0, 253);
  const double s0 = rms * std::ldexp(1.0, e0 - 128);
  const double p = std::clamp((std * std / (s0 * s0) - 1.0) / 3.0, 0.0, 1.0);
  for (int64_t b = 0; b < blocks; ++b) {
    y[b].e = static_cast<uint8_t>(e0 + (rng.uniform() < p ? 1 : 0));
    rng.bytes(y[b].qs, kQK / 2);
  }
}

void random_q4_K(SplitMix64& rng, BlockQ4_K* y, int64_t blocks, double std) {
  for (int64_t b = 0; b < blocks; ++b) {
    // Scales 32..63 (5 random bits each); dmin = 8 d, and each min near 15/16 of its scale, so that
    // dmin*m ~ 7.5 d*sc centres the sub-block, with a 3-bit jitter so that no min equals a fixed
    // function of its scale.
    const uint64_t r = rng.next();
    uint8_t sc[8], m[8];
    double mean_square = 0.0;  // E[(d sc q - 8 d m)^2] / d^2 over uniform q: 77.5 sc^2 - 120 sc m + 64 m^2
    for (int j = 0; j < 8; ++j) {
      sc[j] = static_cast<uint8_t>(32 + (r >> (5 * j) & 31));
      const int jittered = (sc[j] * 15 + 8) / 16 + static_cast<int>(r >> (40 + 3 * j) & 7) - 4;
      m[j] = static_cast<uint8_t>(std::clamp(jittered, 0, 63));
      mean_square += (77.5 * sc[j] * sc[j] - 120.0 * sc[j] * m[j] + 64.0 * m[j] * m[j]) / 8.0;
    }
    const double d = std / std::sqrt(mean_square);
    y[b].d = positive_fp16(d);
    y[b].dmin = positive_fp16(8.0 * d);
    pack_q4_K_scales(sc, m, y[b].scales);
    rng.bytes(y[b].qs, kQKK / 2);
  }
}

void random_q6_K(SplitMix64& rng, BlockQ6_K* y, int64_t blocks, double std) {
  for (int64_t b = 0; b < blocks; ++b) {
    // Scales of either sign, magnitude 64..127: 7 random bits each, from two draws.
    double mean_sc2 = 0.0;
    for (int half = 0; half < 2; ++half) {
      const uint64_t r = rng.next();
      for (int j = 0; j < 8; ++j) {
        const uint64_t bits = r >> (8 * j);
        const int magnitude = 64 + static_cast<int>(bits & 63);
        y[b].scales[8 * half + j] = static_cast<int8_t>((bits & 64) ? -magnitude : magnitude);
        mean_sc2 += magnitude * magnitude / 16.0;
      }
    }
    // Uniform 6-bit q: E[(q-32)^2] = 4095/12 + 0.25 = 341.5.
    y[b].d = positive_fp16(std / std::sqrt(341.5 * mean_sc2));
    rng.bytes(y[b].ql, kQKK / 2);
    rng.bytes(y[b].qh, kQKK / 4);
  }
}

}  // namespace

Q4KScaleMin q4_K_scale_min(const uint8_t* scales, int j) {
  if (j < 4) return {static_cast<uint8_t>(scales[j] & 63), static_cast<uint8_t>(scales[j + 4] & 63)};
  return {static_cast<uint8_t>((scales[j + 4] & 0xF) | ((scales[j - 4] >> 6) << 4)),
          static_cast<uint8_t>((scales[j + 4] >> 4) | ((scales[j] >> 6) << 4))};
}

float e8m0_half(uint8_t e) { return std::ldexp(1.0f, int(e) - 128); }

void dequantize_row(GgmlType type, const void* src, float* dst, int64_t n) {
  const int64_t blocks = blocks_in_row("dequantize_row", type, n);
  switch (type) {
    case GgmlType::f32: std::memcpy(dst, src, static_cast<size_t>(n) * sizeof(float)); return;
    case GgmlType::f16:
      for (int64_t i = 0; i < n; ++i) dst[i] = fp16_to_float(static_cast<const half_bits*>(src)[i]);
      return;
    case GgmlType::bf16:
      for (int64_t i = 0; i < n; ++i) dst[i] = bf16_to_float(static_cast<const uint16_t*>(src)[i]);
      return;
    case GgmlType::q8_0: dequantize_q8_0(static_cast<const BlockQ8_0*>(src), dst, blocks); return;
    case GgmlType::q4_0: dequantize_q4_0(static_cast<const BlockQ4_0*>(src), dst, blocks); return;
    case GgmlType::q4_k: dequantize_q4_K(static_cast<const BlockQ4_K*>(src), dst, blocks); return;
    case GgmlType::q6_k: dequantize_q6_K(static_cast<const BlockQ6_K*>(src), dst, blocks); return;
    case GgmlType::q8_k: dequantize_q8_K(static_cast<const BlockQ8_K*>(src), dst, blocks); return;
    case GgmlType::mxfp4: dequantize_mxfp4(static_cast<const BlockMXFP4*>(src), dst, blocks); return;
    default: unsupported("dequantize_row", type);
  }
}

void quantize_row_q8_0(const float* x, BlockQ8_0* y, int64_t n) {
  const int64_t blocks = blocks_in_row("quantize_row_q8_0", GgmlType::q8_0, n);
  for (int64_t b = 0; b < blocks; ++b, x += kQK) {
    float amax = 0.0f;
    for (int j = 0; j < kQK; ++j) amax = std::max(amax, std::fabs(x[j]));
    const float d = amax / 127.0f;
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    y[b].d = float_to_fp16(d);
    for (int j = 0; j < kQK; ++j) y[b].qs[j] = static_cast<int8_t>(std::round(x[j] * id));
  }
}

void quantize_row_q8_K(const float* x, BlockQ8_K* y, int64_t n) {
  const int64_t blocks = blocks_in_row("quantize_row_q8_K", GgmlType::q8_k, n);
  for (int64_t b = 0; b < blocks; ++b, x += kQKK) {
    float amax = 0.0f, max = 0.0f;  // max: the signed value of largest magnitude
    for (int j = 0; j < kQKK; ++j)
      if (std::fabs(x[j]) > amax) amax = std::fabs(x[j]), max = x[j];
    if (amax == 0.0f) {
      std::memset(&y[b], 0, sizeof y[b]);
      continue;
    }
    const float iscale = -127.0f / max;
    for (int j = 0; j < kQKK; ++j) y[b].qs[j] = static_cast<int8_t>(std::min(127, nearest_int(iscale * x[j])));
    for (int g = 0; g < kQKK / 16; ++g) {
      int sum = 0;
      for (int l = 0; l < 16; ++l) sum += y[b].qs[16 * g + l];
      y[b].bsums[g] = static_cast<int16_t>(sum);
    }
    y[b].d = 1.0f / iscale;
  }
}

void quantize_row(GgmlType type, const float* src, void* dst, int64_t n) {
  const int64_t blocks = blocks_in_row("quantize_row", type, n);
  switch (type) {
    case GgmlType::f32: std::memcpy(dst, src, static_cast<size_t>(n) * sizeof(float)); return;
    case GgmlType::f16:
      for (int64_t i = 0; i < n; ++i) static_cast<half_bits*>(dst)[i] = float_to_fp16(src[i]);
      return;
    case GgmlType::bf16:
      for (int64_t i = 0; i < n; ++i) static_cast<uint16_t*>(dst)[i] = float_to_bf16(src[i]);
      return;
    case GgmlType::q8_0: quantize_row_q8_0(src, static_cast<BlockQ8_0*>(dst), n); return;
    case GgmlType::q4_0: quantize_q4_0(src, static_cast<BlockQ4_0*>(dst), blocks); return;
    case GgmlType::q4_k: quantize_q4_K(src, static_cast<BlockQ4_K*>(dst), blocks); return;
    case GgmlType::q6_k: quantize_q6_K(src, static_cast<BlockQ6_K*>(dst), blocks); return;
    case GgmlType::q8_k: quantize_row_q8_K(src, static_cast<BlockQ8_K*>(dst), n); return;
    case GgmlType::mxfp4: quantize_mxfp4(src, static_cast<BlockMXFP4*>(dst), blocks); return;
    default: unsupported("quantize_row", type);
  }
}

// ---- dot products (formulas in the header) ----

float vec_dot_q4_0_q8_0(int64_t n, const BlockQ4_0* x, const BlockQ8_0* y) {
  const int64_t blocks = blocks_in_row("vec_dot_q4_0_q8_0", GgmlType::q4_0, n);
  double sum = 0.0;
  for (int64_t b = 0; b < blocks; ++b) {
    int32_t sumi = 0;  // |sumi| <= 32 * 8 * 128
    for (int j = 0; j < kQK / 2; ++j)
      sumi += ((x[b].qs[j] & 0xF) - 8) * y[b].qs[j] + ((x[b].qs[j] >> 4) - 8) * y[b].qs[j + kQK / 2];
    sum += static_cast<double>(fp16_to_float(x[b].d)) * fp16_to_float(y[b].d) * sumi;  // exact per block
  }
  return static_cast<float>(sum);
}

float vec_dot_q8_0_q8_0(int64_t n, const BlockQ8_0* x, const BlockQ8_0* y) {
  const int64_t blocks = blocks_in_row("vec_dot_q8_0_q8_0", GgmlType::q8_0, n);
  double sum = 0.0;
  for (int64_t b = 0; b < blocks; ++b) {
    int32_t sumi = 0;  // |sumi| <= 32 * 128 * 128
    for (int j = 0; j < kQK; ++j) sumi += x[b].qs[j] * y[b].qs[j];
    sum += static_cast<double>(fp16_to_float(x[b].d)) * fp16_to_float(y[b].d) * sumi;  // exact per block
  }
  return static_cast<float>(sum);
}

float vec_dot_mxfp4_q8_0(int64_t n, const BlockMXFP4* x, const BlockQ8_0* y) {
  const int64_t blocks = blocks_in_row("vec_dot_mxfp4_q8_0", GgmlType::mxfp4, n);
  double sum = 0.0;
  for (int64_t b = 0; b < blocks; ++b) {
    int32_t sumi = 0;  // |sumi| <= 32 * 12 * 128
    for (int j = 0; j < kQK / 2; ++j)
      sumi += kMXFP4Values[x[b].qs[j] & 0xF] * y[b].qs[j] + kMXFP4Values[x[b].qs[j] >> 4] * y[b].qs[j + kQK / 2];
    sum += static_cast<double>(e8m0_half(x[b].e)) * fp16_to_float(y[b].d) * sumi;  // exact per block
  }
  return static_cast<float>(sum);
}

float vec_dot_q4_K_q8_K(int64_t n, const BlockQ4_K* x, const BlockQ8_K* y) {
  const int64_t blocks = blocks_in_row("vec_dot_q4_K_q8_K", GgmlType::q4_k, n);
  double sum = 0.0;
  for (int64_t b = 0; b < blocks; ++b) {
    // |sum_q| <= 8 * 63 * (32 * 15 * 128) < 2^25; |sum_m| <= 8 * 63 * 2 * 16 * 128 < 2^21.
    int32_t sum_q = 0, sum_m = 0;
    for (int j = 0; j < 8; ++j) {
      const Q4KScaleMin sm = q4_K_scale_min(x[b].scales, j);
      const uint8_t* q = x[b].qs + 32 * (j / 2);  // sub-block j: low nibbles for even j, high for odd
      const int shift = 4 * (j % 2);
      int32_t s = 0;
      for (int l = 0; l < 32; ++l) s += ((q[l] >> shift) & 0xF) * y[b].qs[32 * j + l];
      sum_q += sm.scale * s;
      sum_m += sm.min * (y[b].bsums[2 * j] + y[b].bsums[2 * j + 1]);
    }
    const double da = y[b].d;
    sum += static_cast<double>(fp16_to_float(x[b].d)) * da * sum_q -
           static_cast<double>(fp16_to_float(x[b].dmin)) * da * sum_m;
  }
  return static_cast<float>(sum);
}

float vec_dot_q6_K_q8_K(int64_t n, const BlockQ6_K* x, const BlockQ8_K* y) {
  const int64_t blocks = blocks_in_row("vec_dot_q6_K_q8_K", GgmlType::q6_k, n);
  double sum = 0.0;
  for (int64_t b = 0; b < blocks; ++b) {
    // |total| <= 16 * 128 * (16 * 63 * 128 + 32 * 16 * 128) < 2^29.
    int32_t total = 0;
    for (int j = 0; j < 16; ++j) {
      int32_t s = 0;
      for (int l = 0; l < 16; ++l) s += q6_K_quant(x[b], 16 * j + l) * y[b].qs[16 * j + l];
      total += x[b].scales[j] * (s - 32 * y[b].bsums[j]);
    }
    sum += static_cast<double>(fp16_to_float(x[b].d)) * static_cast<double>(y[b].d) * total;
  }
  return static_cast<float>(sum);
}

float vec_dot_f32_f32(int64_t n, const float* x, const float* y) {
  double sum = 0.0;
  for (int64_t i = 0; i < n; ++i) sum += static_cast<double>(x[i]) * y[i];
  return static_cast<float>(sum);
}

float vec_dot_f16_f32(int64_t n, const half_bits* x, const float* y) {
  double sum = 0.0;
  for (int64_t i = 0; i < n; ++i) sum += static_cast<double>(fp16_to_float(x[i])) * y[i];
  return static_cast<float>(sum);
}

float vec_dot_bf16_f32(int64_t n, const uint16_t* x, const float* y) {
  double sum = 0.0;
  for (int64_t i = 0; i < n; ++i) sum += static_cast<double>(bf16_to_float(x[i])) * y[i];
  return static_cast<float>(sum);
}

void fill_random_blocks(GgmlType type, void* dst, int64_t n, uint64_t seed, float std) {
  const int64_t blocks = blocks_in_row("fill_random_blocks", type, n);
  if (!(std > 0.0f) || !std::isfinite(std))
    throw Error(fmt::format("fill_random_blocks: standard deviation {} must be positive and finite", std));
  SplitMix64 rng{seed};
  switch (type) {
    case GgmlType::f32:
      for (int64_t i = 0; i < n; ++i) static_cast<float*>(dst)[i] = std * unit_noise(rng.next());
      return;
    case GgmlType::f16:
      for (int64_t i = 0; i < n; ++i) static_cast<half_bits*>(dst)[i] = float_to_fp16(std * unit_noise(rng.next()));
      return;
    case GgmlType::bf16:
      for (int64_t i = 0; i < n; ++i) static_cast<uint16_t*>(dst)[i] = float_to_bf16(std * unit_noise(rng.next()));
      return;
    case GgmlType::q8_0: random_q8_0(rng, static_cast<BlockQ8_0*>(dst), blocks, std); return;
    case GgmlType::q4_0: random_q4_0(rng, static_cast<BlockQ4_0*>(dst), blocks, std); return;
    case GgmlType::q4_k: random_q4_K(rng, static_cast<BlockQ4_K*>(dst), blocks, std); return;
    case GgmlType::q6_k: random_q6_K(rng, static_cast<BlockQ6_K*>(dst), blocks, std); return;
    case GgmlType::q8_k: random_q8_K(rng, static_cast<BlockQ8_K*>(dst), blocks, std); return;
    case GgmlType::mxfp4: random_mxfp4(rng, static_cast<BlockMXFP4*>(dst), blocks, std); return;
    default: unsupported("fill_random_blocks", type);
  }
}

}  // namespace specgap::cpu
