#pragma once
// The scalar reference for ggml's tensor types (reference/llm.md §2.2, §2.3): dequantisation,
// quantisation from fp32 rows, the dot products of llama.cpp's CPU path in their integer form, and
// random rows generated directly in the block formats. Portable C++ built for the baseline; every
// SIMD kernel of these types is checked against it, so it is written for clarity.
//
// Rows are n elements; n must be a whole number of the type's blocks (32 for Q4_0/Q8_0, 256 for
// the K-quants) and not negative. A type or n that a function does not take throws specgap::Error.
#include <cstdint>

#include "backends/cpu/half.h"  // fp16_to_float, float_to_fp16, bf16_to_float, float_to_bf16
#include "backends/cpu/quant_blocks.h"
#include "core/ggml_type.h"

namespace specgap::cpu {

// F32, F16, BF16, Q8_0, Q4_0, Q4_K, Q6_K, Q8_K and MXFP4, exactly ggml's formulas (llm.md §2.2).
void dequantize_row(GgmlType type, const void* src, float* dst, int64_t n);

// The same types from fp32. The schemes, and what each guarantees for finite input:
//   F16, BF16  round to nearest even.
//   Q8_0       ggml's reference: d = amax/127, qs = round(x/d) (half away from zero), d stored as fp16.
//   Q4_0       ggml's reference: max = the signed value of largest magnitude, d = max/-8,
//              q = min(15, (int)(x*(1/d) + 8.5)).
//   Q4_K       per sub-block of 32 a min/max fit, with the 6-bit scale and min rounded UP so that
//              the sub-block's grid still spans its values; q rounded to nearest on the stored grid.
//              So |x - y| <= d*sc/2 for every element (up to float rounding); not llama.cpp's
//              iterative search, whose error is somewhat lower.
//   Q6_K       per sub-block of 16 ggml's symmetric choice (the largest-magnitude value maps to
//              q-32 = -32), int8 scales rounded away from zero; |x - y| <= |d*sc|/2, except values of
//              the opposite sign near the extreme, clamped to q-32 = 31: |x - y| <= |d*sc|.
//   MXFP4      ggml's reference: e = floor(log2(amax)) - 2 + 127 (0 for an all-zero block), so the
//              largest magnitude lands in [4, 8) x 2^(e-127) (at most 6 on the grid: larger ones
//              clip to 6); each value the nearest of the 16 codes (the first on a tie).
//   Q8_K       ggml's reference (the K-quant activation format): iscale = -127/max (max signed),
//              qs = min(127, nearest_int(iscale*x)), d = 1/iscale; bsums = sum of each 16 qs.
void quantize_row(GgmlType type, const float* src, void* dst, int64_t n);

// The activation quantisers on their own, for callers that know the type.
void quantize_row_q8_0(const float* src, BlockQ8_0* dst, int64_t n);
void quantize_row_q8_K(const float* src, BlockQ8_K* dst, int64_t n);

// The 6-bit scale and min of Q4_K sub-block j (0..7), unpacked from `scales[12]` (get_scale_min_k4).
struct Q4KScaleMin {
  uint8_t scale, min;
};
Q4KScaleMin q4_K_scale_min(const uint8_t* scales, int j);

// Dot products of a weight row with an activation row of n elements, as llama.cpp's CPU path
// computes them: integer sums per block in int32 (exact; the ranges below fit with room to spare),
// scaled by the blocks' float scales. The scaled block sums are accumulated in double and rounded to
// float once, so the reference differs from the exact value of its integer form only by that last
// rounding and by the product of the scales (exact in double for the fp16 x fp16 and fp16 x fp32
// pairs; one rounding for the K-quants). A kernel that accumulates in float needs its own tolerance.
//
//   q4_0 . q8_0:  sum over blocks b of  d_x*d_y * sum_{j<32} (q_x[j] - 8) * q_y[j]
//   q8_0 . q8_0:  sum over blocks b of  d_x*d_y * sum_{j<32} q_x[j] * q_y[j]
//   mxfp4 . q8_0: sum over blocks b of  2^(e-128)*d_y * sum_{j<32} v[c_j] * q_y[j], v = kMXFP4Values
//                 (the doubled codes, hence 2^(e-128) for the scale 2^(e-127))
//   q4_K . q8_K:  per super-block, with sc_j, m_j the 6-bit scale and min of sub-block j (32 each),
//                 q the 4-bit quants (0..15) and a the Q8_K quants:
//                   d_x*d_a * sum_{j<8} sc_j * sum_{l<32} q[32j+l]*a[32j+l]
//                 - dmin_x*d_a * sum_{j<8} m_j * (bsums[2j] + bsums[2j+1])
//                 (the min term needs only the activations' block sums, never the 4-bit quants).
//   q6_K . q8_K:  per super-block, sc_j the int8 scale of sub-block j (16 each), q the 6-bit quants
//                 (0..63), whose -32 offset goes through the block sums:
//                   d_x*d_a * sum_{j<16} sc_j * (sum_{l<16} q[16j+l]*a[16j+l] - 32*bsums[j])
//                 which equals d_x*d_a * sum_j sc_j * sum_l (q-32)*a.
float vec_dot_q4_0_q8_0(int64_t n, const BlockQ4_0* x, const BlockQ8_0* y);
float vec_dot_q8_0_q8_0(int64_t n, const BlockQ8_0* x, const BlockQ8_0* y);
float vec_dot_mxfp4_q8_0(int64_t n, const BlockMXFP4* x, const BlockQ8_0* y);

// 2^(e-128) as a float (exact for every e, 2^-128 a subnormal): MXFP4's scale for its doubled codes,
// ggml's ggml_e8m0_to_fp32_half.
float e8m0_half(uint8_t e);
float vec_dot_q4_K_q8_K(int64_t n, const BlockQ4_K* x, const BlockQ8_K* y);
float vec_dot_q6_K_q8_K(int64_t n, const BlockQ6_K* x, const BlockQ8_K* y);

// Float weights against fp32 activations: products in double (exact for these inputs), summed in
// double, rounded to float once.
float vec_dot_f32_f32(int64_t n, const float* x, const float* y);
float vec_dot_f16_f32(int64_t n, const half_bits* x, const float* y);
float vec_dot_bf16_f32(int64_t n, const uint16_t* x, const float* y);

// A row of n random values of `type` written straight into its storage, for model presets with
// billions of weights: one splitmix64 stream from `seed` (the same bytes on every platform), 64 random
// bits at a time, and for the quantised types integer work per element and float work per block
// only. The dequantised values have root mean square close to `std` (> 0, finite) and mean near 0:
//   F32/F16/BF16  a sum of four uniform 16-bit draws (Irwin-Hall, close to normal, within 3.5 std).
//   Q8_0, Q8_K    uniform quants in [-127, 127] (never -128), scale jittered per block.
//   Q4_0          uniform nibbles, scale jittered per block (mean -0.5 d, as the format's grid has).
//   Q4_K          uniform nibbles, scales 32..63 and mins near the sub-block's centre (so scale and
//                 min differ), d and dmin chosen per super-block for the target.
//   Q6_K          uniform 6-bit quants, int8 scales of either sign with magnitude 64..127.
//   MXFP4         uniform codes; the exponent per block e0 or e0 + 1 (a power of two cannot be
//                 jittered finely), the share of e0 + 1 chosen so that the mean square is std^2.
// Every block is valid: fp16 scales finite and positive, Q8_K bsums consistent with its quants.
void fill_random_blocks(GgmlType type, void* dst, int64_t n, uint64_t seed, float std);

}  // namespace specgap::cpu
