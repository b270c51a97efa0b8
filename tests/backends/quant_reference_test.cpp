// The scalar reference of ggml's tensor types: fp16/bf16 conversions at their edges, dequantisation of
// hand-built blocks, quantise -> dequantise error bounds, the integer dot products against fp64 sums of
// the dequantised rows, Q8_K's block sums, and random rows generated in the block formats.
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <numbers>
#include <string>
#include <vector>

#include "backends/cpu/half.h"
#include "backends/cpu/quant_blocks.h"
#include "backends/cpu/quant_reference.h"
#include "core/error.h"
#include "core/ggml_type.h"

namespace specgap::cpu {
namespace {

constexpr double kU = 0x1p-24;  // fp32 unit round-off

// ---- test data ----------------------------------------------------------------------------------

uint64_t splitmix(uint64_t& s) {
  uint64_t z = (s += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}
double uniform01(uint64_t& s) { return (static_cast<double>(splitmix(s) >> 11) + 0.5) * 0x1p-53; }

// Normal values (Box-Muller), the same on every platform.
std::vector<float> gaussian(int64_t n, uint64_t seed, double std = 1.0) {
  std::vector<float> v(static_cast<size_t>(n));
  uint64_t s = seed;
  for (auto& x : v)
    x = static_cast<float>(std * std::sqrt(-2.0 * std::log(uniform01(s))) * std::cos(2 * std::numbers::pi * uniform01(s)));
  return v;
}

// Rows that stress a quantiser beyond normal data: sub-blocks all positive, all negative, constant,
// zero, with one outlier, and sub-blocks whose magnitudes differ by 10^4 within a super-block.
std::vector<float> awkward_rows(uint64_t seed) {
  std::vector<float> v = gaussian(8 * 256, seed);
  for (int i = 0; i < 256; ++i) v[i] = std::fabs(v[i]) + 0.5f;           // all positive
  for (int i = 256; i < 512; ++i) v[i] = -std::fabs(v[i]) - 2.0f;         // all negative
  for (int i = 512; i < 768; ++i) v[i] = 0.75f;                           // constant
  for (int i = 768; i < 1024; ++i) v[i] = 0.0f;                           // zero
  v[1024 + 77] = 40.0f;                                                  // one outlier
  for (int i = 1280; i < 1536; ++i) v[i] *= (i / 32 % 2) ? 1e-4f : 1.0f;  // mixed magnitudes
  for (int i = 1536; i < 1792; ++i) v[i] *= 1e-6f;                       // tiny
  for (int i = 1792; i < 2048; ++i) v[i] *= 1e3f;                        // large
  return v;
}

size_t row_bytes(GgmlType t, int64_t n) { return static_cast<size_t>(*ggml_row_bytes(t, static_cast<uint64_t>(n))); }

std::vector<uint8_t> quantized(GgmlType t, const std::vector<float>& x) {
  std::vector<uint8_t> q(row_bytes(t, static_cast<int64_t>(x.size())));
  quantize_row(t, x.data(), q.data(), static_cast<int64_t>(x.size()));
  return q;
}

std::vector<float> dequantized(GgmlType t, const void* q, int64_t n) {
  std::vector<float> y(static_cast<size_t>(n));
  dequantize_row(t, q, y.data(), n);
  return y;
}

template <class Block>
const Block* blocks(const std::vector<uint8_t>& bytes) {
  return reinterpret_cast<const Block*>(bytes.data());
}

// The largest error of storing d >= 0 as fp16: half an ulp, 2^-11 relative for normals, 2^-25 below.
double fp16_error(double d) { return std::max(0x1p-11 * d, 0x1p-25); }

double rms(const std::vector<float>& v) {
  double s = 0;
  for (float x : v) s += static_cast<double>(x) * x;
  return std::sqrt(s / static_cast<double>(v.size()));
}

// ---- fp16 / bf16 --------------------------------------------------------------------------------

// The nearest fp16 to f by search over the ordered positive encodings (ties to the even encoding),
// independent of half.h's bit manipulation.
uint16_t fp16_by_search(float f) {
  const auto sign = static_cast<uint16_t>(std::signbit(f) ? 0x8000 : 0);
  const double a = std::fabs(static_cast<double>(f));
  if (a >= 65520.0) return sign | 0x7c00;  // the tie between 65504 and 2^16 goes to the even side, inf
  auto value = [](uint16_t h) {
    const int e = h >> 10, m = h & 0x3ff;
    return e == 0 ? std::ldexp(m, -24) : std::ldexp(1024 + m, e - 25);
  };
  uint16_t lo = 0, hi = 0x7bff;  // largest h with value(h) <= a
  while (lo < hi) {
    const auto mid = static_cast<uint16_t>((lo + hi + 1) / 2);
    if (value(mid) <= a) lo = mid; else hi = static_cast<uint16_t>(mid - 1);
  }
  const double below = a - value(lo), above = value(static_cast<uint16_t>(lo + 1)) - a;
  const bool up = above < below || (above == below && (lo & 1));
  return sign | static_cast<uint16_t>(up ? lo + 1 : lo);
}

TEST(Half, Fp16DecodesEdgeCases) {
  EXPECT_EQ(fp16_to_float(0x0000), 0.0f);
  EXPECT_FALSE(std::signbit(fp16_to_float(0x0000)));
  EXPECT_TRUE(std::signbit(fp16_to_float(0x8000)));
  EXPECT_EQ(fp16_to_float(0x3c00), 1.0f);
  EXPECT_EQ(fp16_to_float(0xc000), -2.0f);
  EXPECT_EQ(fp16_to_float(0x3555), 0x1.554p-2f);
  EXPECT_EQ(fp16_to_float(0x0001), 0x1p-24f);          // smallest subnormal
  EXPECT_EQ(fp16_to_float(0x8001), -0x1p-24f);
  EXPECT_EQ(fp16_to_float(0x03ff), 1023 * 0x1p-24f);   // largest subnormal
  EXPECT_EQ(fp16_to_float(0x0400), 0x1p-14f);          // smallest normal
  EXPECT_EQ(fp16_to_float(0x7bff), 65504.0f);          // largest finite
  EXPECT_EQ(fp16_to_float(0x7c00), std::numeric_limits<float>::infinity());
  EXPECT_EQ(fp16_to_float(0xfc00), -std::numeric_limits<float>::infinity());
  EXPECT_TRUE(std::isnan(fp16_to_float(0x7e00)));
  EXPECT_TRUE(std::isnan(fp16_to_float(0x7c01)));  // a signalling NaN is still NaN
  EXPECT_TRUE(std::isnan(fp16_to_float(0xffff)));
}

TEST(Half, Fp16EveryEncodingDecodesExactlyAndRoundTrips) {
  for (uint32_t h = 0; h <= 0xffff; ++h) {
    const auto bits = static_cast<uint16_t>(h);
    const float f = fp16_to_float(bits);
    const int e = (h >> 10) & 0x1f, m = h & 0x3ff;
    if (e == 0x1f && m != 0) {
      ASSERT_TRUE(std::isnan(f)) << std::hex << h;
      const uint16_t back = float_to_fp16(f);
      ASSERT_TRUE((back & 0x7c00) == 0x7c00 && (back & 0x3ff) != 0) << std::hex << h;  // still NaN
      continue;
    }
    const double expected = (h & 0x8000 ? -1.0 : 1.0) *
                            (e == 0x1f ? HUGE_VAL : e == 0 ? std::ldexp(m, -24) : std::ldexp(1024 + m, e - 25));
    ASSERT_EQ(static_cast<double>(f), expected) << std::hex << h;
    ASSERT_EQ(fp16_to_double(bits), expected) << std::hex << h;
    ASSERT_EQ(float_to_fp16(f), bits) << std::hex << h;
  }
}

TEST(Half, Fp16EncodesRoundingToNearestEven) {
  EXPECT_EQ(float_to_fp16(1.0f + 0x1p-11f), 0x3c00);            // tie: down to even
  EXPECT_EQ(float_to_fp16(1.0f + 3 * 0x1p-11f), 0x3c02);        // tie: up to even
  EXPECT_EQ(float_to_fp16(1.0f + 0x1p-11f + 0x1p-20f), 0x3c01);  // past the tie
  EXPECT_EQ(float_to_fp16(2.0f - 0x1p-12f), 0x4000);            // carry into the exponent
  EXPECT_EQ(float_to_fp16(65504.0f), 0x7bff);
  EXPECT_EQ(float_to_fp16(65519.99f), 0x7bff);
  EXPECT_EQ(float_to_fp16(65520.0f), 0x7c00);  // tie between 65504 and 2^16: even, which is inf
  EXPECT_EQ(float_to_fp16(1e6f), 0x7c00);
  EXPECT_EQ(float_to_fp16(-1e6f), 0xfc00);
  EXPECT_EQ(float_to_fp16(std::numeric_limits<float>::infinity()), 0x7c00);
  EXPECT_EQ(float_to_fp16(-0.0f), 0x8000);
  EXPECT_EQ(float_to_fp16(0x1p-24f), 0x0001);
  EXPECT_EQ(float_to_fp16(-0x1p-24f), 0x8001);
  EXPECT_EQ(float_to_fp16(0x1p-25f), 0x0000);                   // tie: down to even (zero)
  EXPECT_EQ(float_to_fp16(0x1p-25f * 1.0001f), 0x0001);
  EXPECT_EQ(float_to_fp16(3 * 0x1p-25f), 0x0002);               // tie between 1 and 2 units: 2
  EXPECT_EQ(float_to_fp16(0x1p-14f - 0x1p-25f), 0x0400);        // tie: up to the smallest normal
  EXPECT_EQ(float_to_fp16(1e-40f), 0x0000);                     // an fp32 subnormal
  const uint16_t nan = float_to_fp16(std::numeric_limits<float>::quiet_NaN());
  EXPECT_TRUE((nan & 0x7c00) == 0x7c00 && (nan & 0x3ff) != 0);
  const uint16_t snan = float_to_fp16(std::bit_cast<float>(0x7f800001u));  // payload only in low bits
  EXPECT_TRUE((snan & 0x7c00) == 0x7c00 && (snan & 0x3ff) != 0);
}

TEST(Half, Fp16EncodesLikeASearchOverAllEncodings) {
  uint64_t s = 1;
  for (int i = 0; i < 200000; ++i) {
    const uint64_t r = splitmix(s);
    // Half the draws over all of fp32, half with exponents around fp16's range (2^-26 .. 2^17).
    uint32_t bits = static_cast<uint32_t>(r);
    if (i % 2) bits = (bits & 0x807fffffu) | static_cast<uint32_t>(127 - 26 + (r >> 32) % 44) << 23;
    const float f = std::bit_cast<float>(bits);
    if (std::isnan(f)) continue;
    ASSERT_EQ(float_to_fp16(f), fp16_by_search(f)) << std::hexfloat << f;
  }
}

TEST(Half, Bf16ConvertsWithRoundingToNearestEven) {
  EXPECT_EQ(bf16_to_float(0x3f80), 1.0f);
  EXPECT_EQ(bf16_to_float(0xc000), -2.0f);
  EXPECT_EQ(float_to_bf16(1.0f), 0x3f80);
  EXPECT_EQ(float_to_bf16(1.0f + 0x1p-8f), 0x3f80);            // tie: down to even
  EXPECT_EQ(float_to_bf16(1.0f + 3 * 0x1p-8f), 0x3f82);        // tie: up to even
  EXPECT_EQ(float_to_bf16(1.0f + 0x1p-8f + 0x1p-20f), 0x3f81);
  EXPECT_EQ(float_to_bf16(-0.0f), 0x8000);
  EXPECT_EQ(float_to_bf16(std::numeric_limits<float>::max()), 0x7f80);  // rounds past the largest: inf
  EXPECT_EQ(float_to_bf16(-std::numeric_limits<float>::infinity()), 0xff80);
  EXPECT_EQ(float_to_bf16(std::numeric_limits<float>::denorm_min()), 0x0000);
  // A NaN whose payload lies only in the dropped bits must stay NaN, not become inf.
  const uint16_t nan = float_to_bf16(std::bit_cast<float>(0x7f800001u));
  EXPECT_TRUE((nan & 0x7f80) == 0x7f80 && (nan & 0x7f) != 0);
  for (uint32_t h = 0; h <= 0xffff; ++h) {
    const auto bits = static_cast<uint16_t>(h);
    const float f = bf16_to_float(bits);
    ASSERT_EQ(std::bit_cast<uint32_t>(f), h << 16);
    if (!std::isnan(f)) {
      ASSERT_EQ(float_to_bf16(f), bits) << std::hex << h;
    }
  }
  // Random floats: the result is one of the two neighbours, the nearer one, ties to even.
  uint64_t s = 2;
  for (int i = 0; i < 100000; ++i) {
    const float f = std::bit_cast<float>(static_cast<uint32_t>(splitmix(s)));
    if (!std::isfinite(f) || std::fabs(f) >= 0x1.fep127f) continue;
    const uint32_t lo = std::bit_cast<uint32_t>(f) & 0xffff0000u;
    const double below = std::fabs(static_cast<double>(f) - std::bit_cast<float>(lo));
    const double above = std::fabs(static_cast<double>(std::bit_cast<float>(lo + 0x10000u)) - f);
    const bool up = above < below || (above == below && (lo >> 16 & 1));
    ASSERT_EQ(float_to_bf16(f), static_cast<uint16_t>((lo >> 16) + (up ? 1 : 0))) << std::hexfloat << f;
  }
}

// ---- dequantisation of hand-built blocks -------------------------------------------------------

TEST(QuantDequant, PlainTypes) {
  const float f32[] = {1.5f, -0.0f, 3e38f, -1e-45f};
  EXPECT_EQ(dequantized(GgmlType::f32, f32, 4), std::vector<float>(f32, f32 + 4));
  const half_bits f16[] = {0x3c00, 0xc000, 0x0001, 0x7bff};
  EXPECT_EQ(dequantized(GgmlType::f16, f16, 4), (std::vector<float>{1.0f, -2.0f, 0x1p-24f, 65504.0f}));
  const uint16_t bf16[] = {0x3f80, 0xc040, 0x7f7f, 0x0001};
  EXPECT_EQ(dequantized(GgmlType::bf16, bf16, 4),
            (std::vector<float>{1.0f, -3.0f, 0x1.fep127f, std::bit_cast<float>(0x00010000u)}));
}

TEST(QuantDequant, Q8_0) {
  BlockQ8_0 b[2];
  b[0].d = 0x3800;  // 0.5
  b[1].d = 0xc400;  // -4
  for (int j = 0; j < 32; ++j) b[0].qs[j] = static_cast<int8_t>(j - 16), b[1].qs[j] = static_cast<int8_t>(j % 2 ? 127 : -128);
  const auto y = dequantized(GgmlType::q8_0, b, 64);
  for (int j = 0; j < 32; ++j) EXPECT_EQ(y[j], 0.5f * static_cast<float>(j - 16)) << j;
  EXPECT_EQ(y[32], 512.0f);   // -4 * -128
  EXPECT_EQ(y[33], -508.0f);  // -4 * 127
}

TEST(QuantDequant, MXFP4CodesScalesAndNibbleOrder) {
  BlockMXFP4 b[2];
  b[0].e = 127;  // scale 1: the codes' own values
  b[1].e = 0;    // scale 2^-127, below float's normal range
  for (int j = 0; j < 16; ++j) b[0].qs[j] = static_cast<uint8_t>(j | (15 - j) << 4), b[1].qs[j] = 0x77;
  const auto y = dequantized(GgmlType::mxfp4, b, 64);
  const float e2m1[16] = {0, 0.5, 1, 1.5, 2, 3, 4, 6, -0.0f, -0.5, -1, -1.5, -2, -3, -4, -6};
  for (int j = 0; j < 16; ++j) {
    EXPECT_EQ(y[j], e2m1[j]) << "low nibble of byte " << j << " is element " << j;
    EXPECT_EQ(y[j + 16], e2m1[15 - j]) << "high nibble of byte " << j << " is element " << j + 16;
  }
  for (int j = 32; j < 64; ++j) EXPECT_EQ(y[j], std::ldexp(6.0f, -127)) << j;
  EXPECT_EQ(e8m0_half(128), 1.0f);
  EXPECT_EQ(e8m0_half(254), std::ldexp(1.0f, 126));
  EXPECT_EQ(e8m0_half(0), std::ldexp(1.0f, -128));
}

TEST(QuantDequant, Q4_0NibbleOrder) {
  // Byte j holds element j in its low nibble and element j+16 in its high nibble.
  BlockQ4_0 b;
  b.d = 0x4000;  // 2
  for (int j = 0; j < 16; ++j) b.qs[j] = static_cast<uint8_t>(j | (15 - j) << 4);
  const auto y = dequantized(GgmlType::q4_0, &b, 32);
  EXPECT_EQ(y[0], -16.0f);   // (0 - 8) * 2
  EXPECT_EQ(y[1], -14.0f);   // (1 - 8) * 2
  EXPECT_EQ(y[15], 14.0f);   // (15 - 8) * 2
  EXPECT_EQ(y[16], 14.0f);   // high nibble of byte 0: (15 - 8) * 2
  EXPECT_EQ(y[17], 12.0f);   // high nibble of byte 1: (14 - 8) * 2
  EXPECT_EQ(y[31], -16.0f);  // high nibble of byte 15: (0 - 8) * 2
  for (int j = 0; j < 16; ++j) {
    EXPECT_EQ(y[j], 2.0f * static_cast<float>(j - 8)) << j;
    EXPECT_EQ(y[j + 16], 2.0f * static_cast<float>(7 - j)) << j;
  }
}

// Scales {1, 2, 3, 4, 17, 33, 50, 63} and mins {5, 6, 7, 8, 20, 40, 45, 62}, packed by hand:
//   bytes 0..3  = scale j | (scale j+4 >> 4) << 6:  1|1<<6, 2|2<<6, 3|3<<6, 4|3<<6
//   bytes 4..7  = min j | (min j+4 >> 4) << 6:      5|1<<6, 6|2<<6, 7|2<<6, 8|3<<6
//   bytes 8..11 = (scale j+4 & 15) | (min j+4 & 15) << 4: 1|4<<4, 1|8<<4, 2|13<<4, 15|14<<4
constexpr uint8_t kPackedScales[12] = {0x41, 0x82, 0xC3, 0xC4, 0x45, 0x86, 0x87, 0xC8, 0x41, 0x81, 0xD2, 0xEF};
constexpr uint8_t kScales[8] = {1, 2, 3, 4, 17, 33, 50, 63};
constexpr uint8_t kMins[8] = {5, 6, 7, 8, 20, 40, 45, 62};

TEST(QuantDequant, Q4_KScaleMinUnpacking) {
  for (int j = 0; j < 8; ++j) {
    const Q4KScaleMin sm = q4_K_scale_min(kPackedScales, j);
    EXPECT_EQ(sm.scale, kScales[j]) << "sub-block " << j;
    EXPECT_EQ(sm.min, kMins[j]) << "sub-block " << j;
  }
}

TEST(QuantDequant, Q4_K) {
  BlockQ4_K b;
  b.d = 0x3c00;     // 1
  b.dmin = 0x3800;  // 0.5
  std::memcpy(b.scales, kPackedScales, 12);
  // Chunk c (bytes 32c..32c+31): low nibble l % 16 for sub-block 2c, high nibble (l + 5) % 16 for 2c+1.
  for (int c = 0; c < 4; ++c)
    for (int l = 0; l < 32; ++l) b.qs[32 * c + l] = static_cast<uint8_t>(l % 16 | ((l + 5) % 16) << 4);
  const auto y = dequantized(GgmlType::q4_k, &b, 256);
  EXPECT_EQ(y[0], -2.5f);     // sub-block 0, q 0: 1*1*0 - 0.5*5
  EXPECT_EQ(y[31], 12.5f);    // sub-block 0, q 15: 1*1*15 - 2.5
  EXPECT_EQ(y[32], 7.0f);     // sub-block 1, high nibble of byte 0, q 5: 2*5 - 0.5*6
  EXPECT_EQ(y[128], -10.0f);  // sub-block 4, q 0: 17*0 - 0.5*20
  EXPECT_EQ(y[129], 7.0f);    // sub-block 4, q 1: 17 - 10
  EXPECT_EQ(y[255], 221.0f);  // sub-block 7, high nibble of byte 127, q (31+5)%16 = 4: 63*4 - 0.5*62
  for (int c = 0; c < 4; ++c)
    for (int l = 0; l < 32; ++l) {
      EXPECT_EQ(y[64 * c + l], static_cast<float>(kScales[2 * c] * (l % 16)) - 0.5f * kMins[2 * c]);
      EXPECT_EQ(y[64 * c + 32 + l], static_cast<float>(kScales[2 * c + 1] * ((l + 5) % 16)) - 0.5f * kMins[2 * c + 1]);
    }
}

TEST(QuantDequant, Q6_KBitAssembly) {
  // Zero bytes are q = 0, i.e. q-32 = -32; a few elements get their bits by hand.
  BlockQ6_K b{};
  b.d = 0x3800;  // 0.5
  const int8_t scales[16] = {1, -7, 2, 0, -3, 0, 4, 0, 5, 0, 0, 0, 0, 0, 0, -128};
  std::memcpy(b.scales, scales, 16);
  b.ql[0] = 0x21;   // element 0 low bits 1, element 64 low bits 2
  b.ql[32] = 0x43;  // element 32 low bits 3, element 96 low bits 4
  b.qh[0] = 0xE4;   // high bits: element 0 -> 0, 32 -> 1, 64 -> 2, 96 -> 3
  b.ql[64] = 0x0F;  // second half: element 128 low bits 15
  b.qh[32] = 0x01;  // element 128 high bits 1
  b.ql[127] = 0xA0; // element 255 (second half, l 31, fourth quarter): high nibble of ql[64+31+32]
  b.qh[63] = 0x80;  // element 255 high bits at bits 6..7 of qh[32+31]: 2
  std::vector<float> expected(256);
  for (int e = 0; e < 256; ++e) expected[e] = 0.5f * static_cast<float>(scales[e / 16]) * -32.0f;
  expected[0] = 0.5f * 1 * ((1 | 0 << 4) - 32);     // -15.5
  expected[32] = 0.5f * 2 * ((3 | 1 << 4) - 32);    // -13
  expected[64] = 0.5f * -3 * ((2 | 2 << 4) - 32);   // -3
  expected[96] = 0.5f * 4 * ((4 | 3 << 4) - 32);    // 40
  expected[128] = 0.5f * 5 * ((15 | 1 << 4) - 32);  // -2.5
  expected[255] = 0.5f * -128 * ((10 | 2 << 4) - 32);  // -640
  EXPECT_EQ(expected[0], -15.5f);
  EXPECT_EQ(expected[96], 40.0f);
  EXPECT_EQ(expected[255], -640.0f);
  EXPECT_EQ(dequantized(GgmlType::q6_k, &b, 256), expected);
}

TEST(QuantDequant, Q8_K) {
  BlockQ8_K b{};
  b.d = 0.25f;
  for (int j = 0; j < 256; ++j) b.qs[j] = static_cast<int8_t>(j - 128);
  const auto y = dequantized(GgmlType::q8_k, &b, 256);
  for (int j = 0; j < 256; ++j) EXPECT_EQ(y[j], 0.25f * static_cast<float>(j - 128));
}

// ---- quantise -> dequantise ---------------------------------------------------------------------

// Every row: normal data of std 1 and the awkward rows.
std::vector<std::vector<float>> test_rows() {
  return {gaussian(64 * 256, 11), gaussian(8 * 256, 12, 0.02), awkward_rows(13)};
}

TEST(QuantRoundTrip, F16AndBf16WithinHalfAnUlp) {
  // Round to nearest: relative error at most 2^-11 (fp16, normal range) and 2^-8 (bf16).
  const auto x = gaussian(4096, 21);
  const auto h = dequantized(GgmlType::f16, quantized(GgmlType::f16, x).data(), 4096);
  const auto b = dequantized(GgmlType::bf16, quantized(GgmlType::bf16, x).data(), 4096);
  for (size_t i = 0; i < x.size(); ++i) {
    if (std::fabs(x[i]) >= 0x1p-14f) {
      ASSERT_LE(std::fabs(h[i] - x[i]), 0x1p-11 * std::fabs(x[i])) << i;
    }
    ASSERT_LE(std::fabs(b[i] - x[i]), 0x1p-8 * std::fabs(x[i])) << i;
  }
  EXPECT_EQ(dequantized(GgmlType::f32, quantized(GgmlType::f32, x).data(), 4096), x);
}

TEST(QuantRoundTrip, Q8_0) {
  // q = round(x/d), d = amax/127, stored as fp16 (error <= 2^-11 d, or 2^-25 where d is an fp16
  // subnormal): per element |x - y| <= d/2 + 127 * fp16_error(d), i.e. < 0.563 d for normal d.
  for (const auto& x : test_rows()) {
    const auto q = quantized(GgmlType::q8_0, x);
    const auto y = dequantized(GgmlType::q8_0, q.data(), static_cast<int64_t>(x.size()));
    for (size_t b = 0; b < x.size() / 32; ++b) {
      float amax = 0;
      for (int j = 0; j < 32; ++j) amax = std::max(amax, std::fabs(x[32 * b + j]));
      const double d = amax / 127.0;
      for (int j = 0; j < 32; ++j) ASSERT_LE(std::fabs(y[32 * b + j] - x[32 * b + j]), d / 2 + 127 * fp16_error(d)) << b;
      for (int j = 0; j < 32; ++j) ASSERT_NE(blocks<BlockQ8_0>(q)[b].qs[j], -128);
    }
  }
}

TEST(QuantRoundTrip, MXFP4TakesTheNearestCodeOnItsScale) {
  // e = floor(log2(amax)) - 2 + 127, so amax / 2^(e-127) lies in [4, 8); every value is then the
  // nearest of the 16 codes on that scale (above 6, the largest, it clips).
  for (const auto& x : test_rows()) {
    const auto q = quantized(GgmlType::mxfp4, x);
    const auto y = dequantized(GgmlType::mxfp4, q.data(), static_cast<int64_t>(x.size()));
    for (size_t b = 0; b < x.size() / 32; ++b) {
      float amax = 0;
      for (int j = 0; j < 32; ++j) amax = std::max(amax, std::fabs(x[32 * b + j]));
      const int e = blocks<BlockMXFP4>(q)[b].e;
      if (amax == 0) {
        ASSERT_EQ(e, 0);
        continue;
      }
      if (amax >= 0x1p-125f) {
        ASSERT_GE(amax / std::ldexp(1.0, e - 127), 4.0) << b;
        ASSERT_LT(amax / std::ldexp(1.0, e - 127), 8.0) << b;
      }
      const double scale = std::ldexp(1.0, e - 128);
      for (int j = 0; j < 32; ++j) {
        const double xv = x[32 * b + j], err = std::fabs(y[32 * b + j] - xv);
        for (int8_t v : kMXFP4Values) ASSERT_LE(err, std::fabs(v * scale - xv) * (1 + 1e-6)) << b << " " << j;
      }
    }
  }
}

TEST(QuantRoundTrip, Q4_0) {
  // d = max/-8 maps the extreme to -8 d; everything else is rounded half up onto the grid -8..7,
  // except values of the opposite sign within one step of the extreme's magnitude, clamped to 7 d:
  // |x - y| <= |d|, plus 8 times the fp16 scale's error.
  for (const auto& x : test_rows()) {
    const auto q = quantized(GgmlType::q4_0, x);
    const auto y = dequantized(GgmlType::q4_0, q.data(), static_cast<int64_t>(x.size()));
    for (size_t b = 0; b < x.size() / 32; ++b) {
      float amax = 0;
      for (int j = 0; j < 32; ++j) amax = std::max(amax, std::fabs(x[32 * b + j]));
      const double d = amax / 8.0;
      for (int j = 0; j < 32; ++j) ASSERT_LE(std::fabs(y[32 * b + j] - x[32 * b + j]), d + 8 * fp16_error(d)) << b;
    }
  }
}

TEST(QuantRoundTrip, Q4_KHalfAStepOnAGridThatSpansTheSubBlock) {
  // The grid of sub-block j, step s = d*sc_j from -m' = -dmin*m_j, spans [min(x, 0), max(x)], so
  // every element is within s/2 of its value (float rounding aside). The step itself is at most
  // (range + dmin)/15 + d, range = max(x) - min(x, 0): both 6-bit values are rounded up by less
  // than one unit of dmin and d.
  for (const auto& x : test_rows()) {
    const auto q = quantized(GgmlType::q4_k, x);
    const auto y = dequantized(GgmlType::q4_k, q.data(), static_cast<int64_t>(x.size()));
    for (size_t b = 0; b < x.size() / 256; ++b) {
      const BlockQ4_K& blk = blocks<BlockQ4_K>(q)[b];
      const double d = fp16_to_float(blk.d), dmin = fp16_to_float(blk.dmin);
      ASSERT_TRUE(std::isfinite(d) && d >= 0 && std::isfinite(dmin) && dmin >= 0);
      for (int j = 0; j < 8; ++j) {
        const float* xs = &x[256 * b + 32 * j];
        const float* ys = &y[256 * b + 32 * j];
        const double lo = std::min(0.0f, *std::min_element(xs, xs + 32)), hi = *std::max_element(xs, xs + 32);
        const double step = d * q4_K_scale_min(blk.scales, j).scale;
        const double slack = 1e-6 * (hi - lo) + 1e-30;
        ASSERT_LE(step, (hi - lo + dmin) / 15 + d + slack) << b << " " << j;
        for (int l = 0; l < 32; ++l) ASSERT_LE(std::fabs(ys[l] - xs[l]), step / 2 + slack) << b << " " << j << " " << l;
      }
    }
  }
}

TEST(QuantRoundTrip, Q6_KWithinOneStep) {
  // Sub-block j: s = xm/-32 (xm its largest-magnitude value), sc_j rounded away from zero, so
  // |d*sc_j| >= |s| and -32 step reaches xm. Elements are within half a step, except those of the
  // opposite sign beyond 31 steps, clamped there: |x - y| <= |step|. The step is at most |s| + d.
  for (const auto& x : test_rows()) {
    const auto q = quantized(GgmlType::q6_k, x);
    const auto y = dequantized(GgmlType::q6_k, q.data(), static_cast<int64_t>(x.size()));
    for (size_t b = 0; b < x.size() / 256; ++b) {
      const BlockQ6_K& blk = blocks<BlockQ6_K>(q)[b];
      const double d = fp16_to_float(blk.d);
      ASSERT_TRUE(std::isfinite(d) && d >= 0);
      for (int j = 0; j < 16; ++j) {
        const float* xs = &x[256 * b + 16 * j];
        const float* ys = &y[256 * b + 16 * j];
        double amax = 0;
        for (int l = 0; l < 16; ++l) amax = std::max(amax, static_cast<double>(std::fabs(xs[l])));
        const double step = std::fabs(d * blk.scales[j]);
        const double slack = 1e-6 * amax + 1e-30;
        ASSERT_LE(step, amax / 32 + d + slack) << b << " " << j;
        for (int l = 0; l < 16; ++l) {
          const double err = std::fabs(ys[l] - xs[l]);
          ASSERT_LE(err, step + slack) << b << " " << j << " " << l;
          if (std::fabs(xs[l]) <= 31 * step) {
            ASSERT_LE(err, step / 2 + slack) << b << " " << j << " " << l;
          }
        }
      }
    }
  }
}

TEST(QuantRoundTrip, Q8_KHalfAStep) {
  // q = nearest(iscale x), iscale = -127/max, d = 1/iscale (fp32): |x - y| <= |d|/2 plus float
  // rounding (relative 2^-24 of 127 steps).
  for (const auto& x : test_rows()) {
    const auto q = quantized(GgmlType::q8_k, x);
    const auto y = dequantized(GgmlType::q8_k, q.data(), static_cast<int64_t>(x.size()));
    for (size_t b = 0; b < x.size() / 256; ++b) {
      const double d = std::fabs(blocks<BlockQ8_K>(q)[b].d);
      for (int j = 0; j < 256; ++j) ASSERT_LE(std::fabs(y[256 * b + j] - x[256 * b + j]), d * (0.5 + 1e-4)) << b;
    }
  }
}

TEST(QuantRoundTrip, RmsErrorOnNormalData) {
  // Rounding error is near uniform over a step: RMS ~ step/sqrt(12) (std 1). The median largest
  // magnitude of 32 normal values is 2.3 and their range ~4.1; of 16 values 2.0, of 256 values 3.0.
  // So Q8_0: 2.3/127/3.46 = 0.0052; Q4_0: 2.3/8/3.46 = 0.083; Q4_K: 4.1/15/3.46 = 0.079; Q6_K:
  // 2.0/32/3.46 = 0.018; Q8_K: 3.0/127/3.46 = 0.0068. Measured 0.0053, 0.086, 0.080, 0.019, 0.0069;
  // the bounds are ~1.2x those.
  const auto x = gaussian(256 * 256, 31);
  const struct {
    GgmlType type;
    double bound;
  } cases[] = {{GgmlType::q8_0, 0.0065}, {GgmlType::q4_0, 0.105}, {GgmlType::q4_k, 0.097},
               {GgmlType::q6_k, 0.023},  {GgmlType::q8_k, 0.0085}};
  for (const auto& c : cases) {
    const auto y = dequantized(c.type, quantized(c.type, x).data(), static_cast<int64_t>(x.size()));
    std::vector<float> err(x.size());
    for (size_t i = 0; i < x.size(); ++i) err[i] = y[i] - x[i];
    EXPECT_LE(rms(err), c.bound) << to_string(c.type);
    EXPECT_GT(rms(err), c.bound / 4) << to_string(c.type);  // a sanity floor: the bound is not vacuous
  }
}

TEST(QuantRoundTrip, ZeroRowsStayZero) {
  const std::vector<float> zeros(512, 0.0f);
  for (GgmlType t : {GgmlType::q8_0, GgmlType::q4_0, GgmlType::q4_k, GgmlType::q6_k, GgmlType::q8_k})
    EXPECT_EQ(dequantized(t, quantized(t, zeros).data(), 512), zeros) << to_string(t);
}

// ---- Q8_K ---------------------------------------------------------------------------------------

TEST(QuantQ8K, BlockSumsAndScaleConvention) {
  for (const auto& x : test_rows()) {
    const auto q = quantized(GgmlType::q8_k, x);
    for (size_t b = 0; b < x.size() / 256; ++b) {
      const BlockQ8_K& blk = blocks<BlockQ8_K>(q)[b];
      for (int g = 0; g < 16; ++g) {
        int sum = 0;
        for (int l = 0; l < 16; ++l) sum += blk.qs[16 * g + l];
        ASSERT_EQ(blk.bsums[g], sum) << b << " " << g;
      }
    }
  }
  // x = j - 128: max = -128, iscale = -127/-128, so qs[j] = nearest((j-128)(1 - 1/128)) = j - 127 for j < 16
  // and group 0 sums to sum_{j<16} (j - 127) = 120 - 2032.
  std::vector<float> x(256);
  for (int j = 0; j < 256; ++j) x[j] = static_cast<float>(j - 128);
  const auto q = quantized(GgmlType::q8_k, x);
  const BlockQ8_K& blk = blocks<BlockQ8_K>(q)[0];
  EXPECT_EQ(blk.qs[0], -127);
  EXPECT_EQ(blk.qs[15], -112);
  EXPECT_EQ(blk.bsums[0], -1912);
  EXPECT_FLOAT_EQ(blk.d, 128.0f / 127.0f);
  // The extreme maps to -127 whatever its sign, so a positive extreme gives a negative d.
  std::vector<float> pos(256, 0.0f);
  pos[5] = 3.0f, pos[6] = -1.0f;
  const auto qp = quantized(GgmlType::q8_k, pos);
  EXPECT_EQ(blocks<BlockQ8_K>(qp)[0].qs[5], -127);
  EXPECT_EQ(blocks<BlockQ8_K>(qp)[0].qs[6], 42);  // nearest(-127/3 * -1) = nearest(42.33)
  EXPECT_FLOAT_EQ(blocks<BlockQ8_K>(qp)[0].d, -3.0f / 127.0f);
  // An all-zero block: d = 0 and zero quants and sums.
  const auto qz = quantized(GgmlType::q8_k, std::vector<float>(256, 0.0f));
  const BlockQ8_K& z = blocks<BlockQ8_K>(qz)[0];
  EXPECT_EQ(z.d, 0.0f);
  for (int j = 0; j < 256; ++j) ASSERT_EQ(z.qs[j], 0);
  for (int g = 0; g < 16; ++g) ASSERT_EQ(z.bsums[g], 0);
}

// ---- dot products -------------------------------------------------------------------------------

struct DotReference {
  double sum = 0;        // fp64 sum of dequantised weight x dequantised activation
  double magnitude = 0;  // sum of |w a|
};

DotReference dot_reference(GgmlType wt, const void* w, GgmlType at, const void* a, int64_t n) {
  const auto wd = dequantized(wt, w, n), ad = dequantized(at, a, n);
  DotReference r;
  for (int64_t i = 0; i < n; ++i) {
    r.sum += static_cast<double>(wd[i]) * ad[i];
    r.magnitude += std::fabs(static_cast<double>(wd[i]) * ad[i]);
  }
  return r;
}

// The integer schemes are exact; what separates them from the fp64 reference is: the final rounding
// to float (2^-24 |ref|); for Q4_K the float rounding of each dequantised weight's subtraction
// d*sc*q - dmin*m (2^-24 |w|), and for Q8_K activations the rounding of d*q (2^-24 |a|): together
// 2 * 2^-24 * sum|w a|. Q4_0, Q8_0 and Q6_K dequantise exactly (an fp16 times a small integer fits in
// fp32), as do Q8_0 activations. 2^-45 sum|w a| covers the fp64 sums' own rounding.
void expect_dot(float got, const DotReference& r, double weight_rounding, const char* what) {
  const double bound = kU * std::fabs(r.sum) + weight_rounding * kU * r.magnitude + 0x1p-45 * r.magnitude;
  EXPECT_LE(std::fabs(got - r.sum), bound) << what << ": got " << got << ", fp64 " << r.sum;
}

TEST(QuantDot, Q4_0AndQ8_0AgainstQ8_0) {
  constexpr int64_t n = 32 * 96;
  for (uint64_t seed : {1, 2, 3}) {
    auto act = quantized(GgmlType::q8_0, gaussian(n, 100 + seed));
    std::vector<uint8_t> rnd(row_bytes(GgmlType::q8_0, n));
    fill_random_blocks(GgmlType::q8_0, rnd.data(), n, seed, 0.5f);
    for (const auto* a : {&act, &rnd}) {
      const auto w4 = quantized(GgmlType::q4_0, gaussian(n, 200 + seed, 0.02));
      expect_dot(vec_dot_q4_0_q8_0(n, blocks<BlockQ4_0>(w4), blocks<BlockQ8_0>(*a)),
                 dot_reference(GgmlType::q4_0, w4.data(), GgmlType::q8_0, a->data(), n), 0, "q4_0.q8_0");
      std::vector<uint8_t> w4r(row_bytes(GgmlType::q4_0, n));
      fill_random_blocks(GgmlType::q4_0, w4r.data(), n, seed + 7, 0.02f);
      expect_dot(vec_dot_q4_0_q8_0(n, blocks<BlockQ4_0>(w4r), blocks<BlockQ8_0>(*a)),
                 dot_reference(GgmlType::q4_0, w4r.data(), GgmlType::q8_0, a->data(), n), 0, "q4_0.q8_0 random");
      const auto w8 = quantized(GgmlType::q8_0, gaussian(n, 300 + seed, 0.02));
      expect_dot(vec_dot_q8_0_q8_0(n, blocks<BlockQ8_0>(w8), blocks<BlockQ8_0>(*a)),
                 dot_reference(GgmlType::q8_0, w8.data(), GgmlType::q8_0, a->data(), n), 0, "q8_0.q8_0");
    }
  }
}

TEST(QuantDot, MXFP4AgainstQ8_0IsExactBeforeTheLastRounding) {
  constexpr int64_t n = 32 * 96;
  for (uint64_t seed : {1, 2, 3}) {
    const auto act = quantized(GgmlType::q8_0, gaussian(n, 100 + seed));
    const auto w = quantized(GgmlType::mxfp4, gaussian(n, 400 + seed, 0.02));
    expect_dot(vec_dot_mxfp4_q8_0(n, blocks<BlockMXFP4>(w), blocks<BlockQ8_0>(act)),
               dot_reference(GgmlType::mxfp4, w.data(), GgmlType::q8_0, act.data(), n), 0, "mxfp4.q8_0");
    std::vector<uint8_t> wr(row_bytes(GgmlType::mxfp4, n));
    fill_random_blocks(GgmlType::mxfp4, wr.data(), n, seed, 0.02f);
    expect_dot(vec_dot_mxfp4_q8_0(n, blocks<BlockMXFP4>(wr), blocks<BlockQ8_0>(act)),
               dot_reference(GgmlType::mxfp4, wr.data(), GgmlType::q8_0, act.data(), n), 0, "mxfp4.q8_0 random");
  }
}

TEST(QuantDot, Q4_KAndQ6_KAgainstQ8_K) {
  constexpr int64_t n = 256 * 12;
  for (uint64_t seed : {1, 2, 3}) {
    auto act = quantized(GgmlType::q8_k, gaussian(n, 100 + seed));
    std::vector<uint8_t> rnd(row_bytes(GgmlType::q8_k, n));
    fill_random_blocks(GgmlType::q8_k, rnd.data(), n, seed, 0.5f);
    for (const auto* a : {&act, &rnd}) {
      for (GgmlType wt : {GgmlType::q4_k, GgmlType::q6_k}) {
        std::vector<uint8_t> fitted = quantized(wt, gaussian(n, 200 + seed, 0.02));
        std::vector<uint8_t> random(row_bytes(wt, n));
        fill_random_blocks(wt, random.data(), n, seed + 7, 0.02f);
        std::vector<uint8_t> awkward = quantized(wt, awkward_rows(seed));
        for (const auto* w : {&fitted, &random}) {
          const auto r = dot_reference(wt, w->data(), GgmlType::q8_k, a->data(), n);
          if (wt == GgmlType::q4_k)
            expect_dot(vec_dot_q4_K_q8_K(n, blocks<BlockQ4_K>(*w), blocks<BlockQ8_K>(*a)), r, 2, "q4_K.q8_K");
          else
            expect_dot(vec_dot_q6_K_q8_K(n, blocks<BlockQ6_K>(*w), blocks<BlockQ8_K>(*a)), r, 1, "q6_K.q8_K");
        }
        // The awkward rows are 8 super-blocks long.
        const auto r = dot_reference(wt, awkward.data(), GgmlType::q8_k, a->data(), 2048);
        if (wt == GgmlType::q4_k)
          expect_dot(vec_dot_q4_K_q8_K(2048, blocks<BlockQ4_K>(awkward), blocks<BlockQ8_K>(*a)), r, 2, "q4_K awkward");
        else
          expect_dot(vec_dot_q6_K_q8_K(2048, blocks<BlockQ6_K>(awkward), blocks<BlockQ8_K>(*a)), r, 1, "q6_K awkward");
      }
    }
  }
}

TEST(QuantDot, FloatWeights) {
  constexpr int64_t n = 1000;
  const auto a = gaussian(n, 41);
  const auto w = gaussian(n, 42, 0.02);
  for (GgmlType t : {GgmlType::f32, GgmlType::f16, GgmlType::bf16}) {
    const auto q = quantized(t, w);
    const auto r = dot_reference(t, q.data(), GgmlType::f32, a.data(), n);
    float got = 0;
    if (t == GgmlType::f32) got = vec_dot_f32_f32(n, reinterpret_cast<const float*>(q.data()), a.data());
    if (t == GgmlType::f16) got = vec_dot_f16_f32(n, reinterpret_cast<const half_bits*>(q.data()), a.data());
    if (t == GgmlType::bf16) got = vec_dot_bf16_f32(n, reinterpret_cast<const uint16_t*>(q.data()), a.data());
    expect_dot(got, r, 0, std::string(to_string(t)).c_str());
  }
  EXPECT_EQ(vec_dot_f32_f32(0, nullptr, nullptr), 0.0f);
  EXPECT_EQ(vec_dot_q4_0_q8_0(0, nullptr, nullptr), 0.0f);
}

TEST(QuantDot, KQuantMinTermUsesBlockSums) {
  // The Q4_K min term reads only the activations' bsums: one Q4_K block with all quants 0, scales 0
  // and min 1 in every sub-block dots to -dmin * d_a * sum(bsums), whatever the quants say.
  BlockQ4_K w{};
  w.d = 0x3c00;
  w.dmin = 0x4000;  // 2
  const uint8_t ones[8] = {1, 1, 1, 1, 1, 1, 1, 1}, zeros[8] = {};
  // Packed by hand: bytes 4..7 hold mins 0..3 (1 each), bytes 8..11 the low bits of mins 4..7.
  const uint8_t packed[12] = {0, 0, 0, 0, 1, 1, 1, 1, 0x10, 0x10, 0x10, 0x10};
  std::memcpy(w.scales, packed, 12);
  for (int j = 0; j < 8; ++j) {
    ASSERT_EQ(q4_K_scale_min(w.scales, j).min, ones[j]);
    ASSERT_EQ(q4_K_scale_min(w.scales, j).scale, zeros[j]);
  }
  BlockQ8_K a{};
  a.d = 0.5f;
  for (int g = 0; g < 16; ++g) a.bsums[g] = static_cast<int16_t>(g + 1);  // sum 136
  EXPECT_EQ(vec_dot_q4_K_q8_K(256, &w, &a), -2.0f * 0.5f * 136);
}

// ---- random rows --------------------------------------------------------------------------------

const GgmlType kRandomTypes[] = {GgmlType::f32,  GgmlType::f16,  GgmlType::bf16, GgmlType::q8_0,
                                 GgmlType::q4_0, GgmlType::q4_k, GgmlType::q6_k, GgmlType::q8_k,
                                 GgmlType::mxfp4};

std::vector<uint8_t> random_row(GgmlType t, int64_t n, uint64_t seed, float std) {
  std::vector<uint8_t> out(row_bytes(t, n));
  fill_random_blocks(t, out.data(), n, seed, std);
  return out;
}

TEST(QuantRandom, DeterministicForASeed) {
  for (GgmlType t : kRandomTypes) {
    EXPECT_EQ(random_row(t, 4096, 5, 0.02f), random_row(t, 4096, 5, 0.02f)) << to_string(t);
    EXPECT_NE(random_row(t, 4096, 5, 0.02f), random_row(t, 4096, 6, 0.02f)) << to_string(t);
  }
}

TEST(QuantRandom, RootMeanSquareAndMean) {
  // 65536 values: the sampling error of the RMS is well under 1%; the per-block scale jitter and the
  // fp16 scales add a little. Mean: near 0, except Q4_0's grid -8..7 whose mean is -0.5 d (~ -0.1 std).
  constexpr int64_t n = 65536;
  constexpr float kStd = 0.02f;
  for (GgmlType t : kRandomTypes) {
    const auto y = dequantized(t, random_row(t, n, 9, kStd).data(), n);
    double mean = 0;
    for (float v : y) {
      ASSERT_TRUE(std::isfinite(v)) << to_string(t);
      mean += v;
    }
    mean /= n;
    EXPECT_NEAR(rms(y), kStd, 0.03 * kStd) << to_string(t);
    EXPECT_LE(std::fabs(mean), (t == GgmlType::q4_0 ? 0.13 : 0.03) * kStd) << to_string(t);
  }
}

bool positive_finite_fp16(half_bits h) { return h != 0 && h < 0x7c00; }

TEST(QuantRandom, BlocksAreValidAndCoverTheirCodes) {
  constexpr int64_t n = 16384;
  for (float std : {0.02f, 1e-12f, 1e9f}) {
    const auto q80 = random_row(GgmlType::q8_0, n, 3, std);
    const auto q40 = random_row(GgmlType::q4_0, n, 3, std);
    const auto q4k = random_row(GgmlType::q4_k, n, 3, std);
    const auto q6k = random_row(GgmlType::q6_k, n, 3, std);
    const auto q8k = random_row(GgmlType::q8_k, n, 3, std);
    std::vector<int> seen8(256), seen4(16), seen6(64), seen4k(16);
    for (int64_t b = 0; b < n / 32; ++b) {
      ASSERT_TRUE(positive_finite_fp16(blocks<BlockQ8_0>(q80)[b].d));
      ASSERT_TRUE(positive_finite_fp16(blocks<BlockQ4_0>(q40)[b].d));
      for (int j = 0; j < 32; ++j) {
        ASSERT_NE(blocks<BlockQ8_0>(q80)[b].qs[j], -128);
        ++seen8[static_cast<uint8_t>(blocks<BlockQ8_0>(q80)[b].qs[j])];
      }
      for (int j = 0; j < 16; ++j) ++seen4[blocks<BlockQ4_0>(q40)[b].qs[j] & 0xF], ++seen4[blocks<BlockQ4_0>(q40)[b].qs[j] >> 4];
    }
    for (int64_t b = 0; b < n / 256; ++b) {
      const BlockQ4_K& k4 = blocks<BlockQ4_K>(q4k)[b];
      ASSERT_TRUE(positive_finite_fp16(k4.d) && positive_finite_fp16(k4.dmin));
      for (int j = 0; j < 8; ++j) {
        const Q4KScaleMin sm = q4_K_scale_min(k4.scales, j);
        ASSERT_TRUE(sm.scale >= 32 && sm.scale <= 63 && sm.min <= 63);
      }
      for (int j = 0; j < 128; ++j) ++seen4k[k4.qs[j] & 0xF], ++seen4k[k4.qs[j] >> 4];
      const BlockQ6_K& k6 = blocks<BlockQ6_K>(q6k)[b];
      ASSERT_TRUE(positive_finite_fp16(k6.d));
      for (int j = 0; j < 16; ++j) ASSERT_GE(std::abs(k6.scales[j]), 64);
      const BlockQ8_K& k8 = blocks<BlockQ8_K>(q8k)[b];
      ASSERT_TRUE(std::isfinite(k8.d) && k8.d > 0);
      for (int g = 0; g < 16; ++g) {
        int sum = 0;
        for (int l = 0; l < 16; ++l) {
          ASSERT_NE(k8.qs[16 * g + l], -128);
          sum += k8.qs[16 * g + l];
        }
        ASSERT_EQ(k8.bsums[g], sum);
      }
    }
    // Q6_K quants: every 6-bit value occurs (read back through dequantisation with d*sc known).
    const auto y6 = dequantized(GgmlType::q6_k, q6k.data(), n);
    for (int64_t b = 0; b < n / 256; ++b) {
      const BlockQ6_K& k6 = blocks<BlockQ6_K>(q6k)[b];
      for (int e = 0; e < 256; ++e) {
        const double step = static_cast<double>(fp16_to_float(k6.d)) * k6.scales[e / 16];
        const long q = std::lround(y6[256 * b + e] / step) + 32;
        ASSERT_TRUE(q >= 0 && q < 64);
        ++seen6[q];
      }
    }
    for (int v = 0; v < 256; ++v) EXPECT_EQ(seen8[v] > 0, v != 128) << "q8_0 code " << v;
    for (int v = 0; v < 16; ++v) EXPECT_GT(seen4[v], 0) << "q4_0 nibble " << v;
    for (int v = 0; v < 16; ++v) EXPECT_GT(seen4k[v], 0) << "q4_K nibble " << v;
    for (int v = 0; v < 64; ++v) EXPECT_GT(seen6[v], 0) << "q6_K code " << v;
  }
}

// ---- what the reference refuses -----------------------------------------------------------------

TEST(QuantErrors, UnsupportedTypesAndPartialBlocksThrow) {
  std::vector<uint8_t> buf(4096);
  std::vector<float> f(256);
  EXPECT_THROW(dequantize_row(GgmlType::q4_1, buf.data(), f.data(), 32), Error);
  EXPECT_THROW(quantize_row(GgmlType::q5_k, f.data(), buf.data(), 256), Error);
  EXPECT_THROW(fill_random_blocks(GgmlType::q5_0, buf.data(), 32, 1, 0.02f), Error);
  EXPECT_THROW(dequantize_row(GgmlType::q8_0, buf.data(), f.data(), 33), Error);
  EXPECT_THROW(quantize_row(GgmlType::q4_k, f.data(), buf.data(), 128), Error);
  EXPECT_THROW(vec_dot_q6_K_q8_K(100, nullptr, nullptr), Error);
  EXPECT_THROW(dequantize_row(GgmlType::f32, buf.data(), f.data(), -1), Error);
  EXPECT_THROW(fill_random_blocks(GgmlType::q8_0, buf.data(), 32, 1, 0.0f), Error);
  EXPECT_THROW(fill_random_blocks(GgmlType::q8_0, buf.data(), 32, 1, std::nanf("")), Error);
}

}  // namespace
}  // namespace specgap::cpu
