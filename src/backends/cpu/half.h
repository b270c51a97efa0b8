#pragma once
// The 16-bit float formats as stored: IEEE binary16 (fp16, ggml's `half`) and bfloat16 (the upper half
// of an fp32), as uint16_t bits. Decoding is exact (every fp16 and bf16 value is an fp32 value);
// encoding rounds to nearest, ties to even, as the hardware converters (F16C vcvtps2ph with
// imm 0, AVX512_BF16 vcvtneps2bf16) and ggml's reference converters do. NaN stays NaN (quiet), with the
// top payload bits kept; values past the largest finite fp16 (65504, with the tie at 65520 going
// up) become infinity. Plain integer code, no FPU state: the same bits under any rounding mode.
#include <bit>
#include <cstdint>

namespace specgap::cpu {

inline float fp16_to_float(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  const uint32_t exponent = (h >> 10) & 0x1fu;
  const uint32_t fraction = h & 0x3ffu;
  if (exponent == 0x1f) return std::bit_cast<float>(sign | 0x7f800000u | fraction << 13);  // inf, NaN
  if (exponent != 0) return std::bit_cast<float>(sign | (exponent + 127 - 15) << 23 | fraction << 13);
  // Zero and subnormals: fraction x 2^-24, exact in fp32 (a normal fp32 from 2^-24 up).
  const float magnitude = static_cast<float>(fraction) * 0x1p-24f;
  return sign ? -magnitude : magnitude;
}

inline uint16_t float_to_fp16(float f) {
  const uint32_t x = std::bit_cast<uint32_t>(f);
  const auto sign = static_cast<uint16_t>((x >> 16) & 0x8000u);
  const uint32_t ax = x & 0x7fffffffu;
  if (ax > 0x7f800000u) return static_cast<uint16_t>(sign | 0x7e00u | ((ax >> 13) & 0x3ffu));  // NaN, quiet
  if (ax >= 0x477ff000u) return static_cast<uint16_t>(sign | 0x7c00u);  // >= 65520 (and inf): inf
  if (ax >= 0x38800000u) {  // >= 2^-14: a normal fp16
    // Rebias the exponent (127 -> 15) in place, then round the 23-bit fraction to 10 bits; a carry
    // out of the fraction moves into the exponent, which is the right result.
    uint32_t m = ax - ((127u - 15u) << 23);
    m += 0xfffu + ((m >> 13) & 1u);
    return static_cast<uint16_t>(sign | (m >> 13));
  }
  // Below 2^-14: a subnormal fp16, in units of 2^-24. Under 2^-25 rounds to zero (2^-25 itself ties to 0).
  const int e = static_cast<int>(ax >> 23);  // biased fp32 exponent, < 113
  if (e < 102) return sign;
  const uint32_t significand = (ax & 0x7fffffu) | 0x800000u;  // value = significand x 2^(e - 150)
  const int shift = 126 - e;                                  // 14..24: value / 2^-24 = significand >> shift
  uint32_t q = significand >> shift;
  const uint32_t rest = significand & ((1u << shift) - 1u);
  const uint32_t tie = 1u << (shift - 1);
  if (rest > tie || (rest == tie && (q & 1u))) ++q;  // q = 1024 is 2^-14, the smallest normal: still right
  return static_cast<uint16_t>(sign | q);
}

inline float bf16_to_float(uint16_t bits) { return std::bit_cast<float>(static_cast<uint32_t>(bits) << 16); }

inline uint16_t float_to_bf16(float f) {
  uint32_t x = std::bit_cast<uint32_t>(f);
  if ((x & 0x7fffffffu) > 0x7f800000u) return static_cast<uint16_t>((x >> 16) | 0x40u);  // NaN, quiet
  x += 0x7fffu + ((x >> 16) & 1u);  // overflow past the largest finite bf16 carries into inf: right
  return static_cast<uint16_t>(x >> 16);
}

// fp16 as double, for the fp64 checks (exact: every fp16 is an fp32).
inline double fp16_to_double(uint16_t bits) { return static_cast<double>(fp16_to_float(bits)); }

}  // namespace specgap::cpu
