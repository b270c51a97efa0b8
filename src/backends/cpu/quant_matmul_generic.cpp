// The portable matmul kernels over the packed layout: plain loops, the reference every SIMD kernel is
// tested against. Integer sums are exact, and the float steps use the same operations in the same
// order as the SIMD kernels (std::fma where they fuse), so for the quantised types the results agree
// bit for bit.
#include <cmath>
#include <cstring>

#include "backends/cpu/gemm_check.h"
#include "backends/cpu/quant_layout.h"
#include "backends/cpu/quant_matmul.h"
#include "backends/cpu/quant_reference.h"

namespace specgap::cpu {
namespace {
float half_at(const uint8_t* p, size_t i) {
  uint16_t bits;
  std::memcpy(&bits, p + 2 * i, 2);
  return static_cast<float>(fp16_to_double(bits));
}

// Packed byte of step `step` of row `row` (quant_layout.h): vector step/... chosen by the caller.
uint8_t at(const uint8_t* vectors, size_t vec, size_t row, size_t i) { return vectors[vec * 64 + 4 * row + i]; }

// Sum over 4 quants of a step: unsigned weight bytes times signed activations.
int32_t dot4(const uint8_t w[4], const int8_t* a) {
  int32_t s = 0;
  for (int i = 0; i < 4; ++i) s += int32_t{w[i]} * a[i];
  return s;
}

float q4_0_row(const uint8_t* group, int64_t cols, size_t row, const ActQ8x32* a) {
  float acc = 0;
  for (int64_t kb = 0; kb < cols / 32; ++kb) {
    const uint8_t* blk = group + kb * layout::q4_0::kBlock;
    const uint8_t* v = blk + layout::q4_0::kQuants;
    int32_t s = a[kb].bias;
    for (size_t L = 0; L < 4; ++L) {
      uint8_t lo[4], hi[4];
      for (size_t i = 0; i < 4; ++i) lo[i] = at(v, L, row, i) & 0xF, hi[i] = at(v, L, row, i) >> 4;
      s += dot4(lo, a[kb].qs + 4 * L) + dot4(hi, a[kb].qs + 16 + 4 * L);
    }
    acc = std::fma(static_cast<float>(s), half_at(blk + layout::q4_0::kScales, row) * a[kb].d, acc);
  }
  return acc;
}

// Q8_0 in either coding: the packed bytes read as unsigned (q + 128, less the bias) or as int8 (q).
template <WeightCoding C>
float q8_0_row(const uint8_t* group, int64_t cols, size_t row, const ActQ8x32* a) {
  float acc = 0;
  for (int64_t kb = 0; kb < cols / 32; ++kb) {
    const uint8_t* blk = group + kb * layout::q8_0::kBlock;
    int32_t s = a[kb].bias;
    for (size_t step = 0; step < 8; ++step)
      for (size_t i = 0; i < 4; ++i) {
        const uint8_t w = at(blk + layout::q8_0::kQuants, step, row, i);
        s += (C == WeightCoding::unsigned_bytes ? int32_t{w} : int32_t{static_cast<int8_t>(w)}) * a[kb].qs[4 * step + i];
      }
    acc = std::fma(static_cast<float>(s), half_at(blk + layout::q8_0::kScales, row) * a[kb].d, acc);
  }
  return acc;
}

// MXFP4: the codes read through kBiasedCodes (2 v + 12) against the activations, whose bias takes
// the 12 back off; the block's scale 2^(e-128) belongs to the doubled values.
float mxfp4_row(const uint8_t* group, int64_t cols, size_t row, const ActQ8x32* a) {
  float acc = 0;
  for (int64_t kb = 0; kb < cols / 32; ++kb) {
    const uint8_t* blk = group + kb * layout::mxfp4::kBlock;
    const uint8_t* v = blk + layout::mxfp4::kQuants;
    int32_t s = a[kb].bias;
    for (size_t L = 0; L < 4; ++L) {
      uint8_t lo[4], hi[4];
      for (size_t i = 0; i < 4; ++i) {
        lo[i] = layout::mxfp4::kBiasedCodes[at(v, L, row, i) & 0xF];
        hi[i] = layout::mxfp4::kBiasedCodes[at(v, L, row, i) >> 4];
      }
      s += dot4(lo, a[kb].qs + 4 * L) + dot4(hi, a[kb].qs + 16 + 4 * L);
    }
    acc = std::fma(static_cast<float>(s), e8m0_half(blk[layout::mxfp4::kScales + row]) * a[kb].d, acc);
  }
  return acc;
}

// Q4_K: value = d*sc_j*q - dmin*m_j per sub-block j, so a super-block contributes
// d_a * (d * sum_j sc_j*S_j - dmin * sum_j m_j*A_j), S_j = sum q*a, A_j = sum a over sub-block j.
float q4_k_row(const uint8_t* group, int64_t cols, size_t row, const ActQ8x256* a) {
  float acc = 0;
  for (int64_t sb = 0; sb < cols / 256; ++sb) {
    const uint8_t* blk = group + sb * layout::q4_k::kBlock;
    int32_t isum = 0, msum = 0;
    for (size_t c = 0; c < 4; ++c) {
      const uint8_t* v = blk + layout::q4_k::kQuants + 512 * c;
      int32_t s_lo = 0, s_hi = 0;
      for (size_t L = 0; L < 8; ++L) {
        uint8_t lo[4], hi[4];
        for (size_t i = 0; i < 4; ++i) lo[i] = at(v, L, row, i) & 0xF, hi[i] = at(v, L, row, i) >> 4;
        s_lo += dot4(lo, a[sb].qs + 64 * c + 4 * L);
        s_hi += dot4(hi, a[sb].qs + 64 * c + 32 + 4 * L);
      }
      isum += blk[layout::q4_k::kScales + 16 * (2 * c) + row] * s_lo +
              blk[layout::q4_k::kScales + 16 * (2 * c + 1) + row] * s_hi;
    }
    for (size_t j = 0; j < 8; ++j)
      msum += blk[layout::q4_k::kMins + 16 * j + row] * (a[sb].bsums[2 * j] + a[sb].bsums[2 * j + 1]);
    const float t = half_at(blk + layout::q4_k::kD, row) * static_cast<float>(isum);
    const float u = std::fma(-half_at(blk + layout::q4_k::kDmin, row), static_cast<float>(msum), t);
    acc = std::fma(u, a[sb].d, acc);
  }
  return acc;
}

// Q6_K: value = d*sc_j*(q - 32) per sub-block of 16; the -32 uses the activation sums per 16.
float q6_k_row(const uint8_t* group, int64_t cols, size_t row, const ActQ8x256* a) {
  float acc = 0;
  for (int64_t sb = 0; sb < cols / 256; ++sb) {
    const uint8_t* blk = group + sb * layout::q6_k::kBlock;
    int32_t sub[16] = {};
    for (size_t h = 0; h < 2; ++h)
      for (size_t L = 0; L < 8; ++L)
        for (size_t quarter = 0; quarter < 4; ++quarter) {
          // quarter k of half h: bits 0-5 of X (k=0) or Y (k=1); for k=2 and 3, the low 4 bits from
          // Z's low or high nibble and the top 2 from bits 6-7 of X or Y (quant_layout.h).
          const uint8_t* xy = blk + layout::q6_k::vector(h, L, quarter % 2);
          const uint8_t* z = blk + layout::q6_k::vector(h, L, 2);
          uint8_t q[4];
          for (size_t i = 0; i < 4; ++i) {
            const uint8_t w = at(xy, 0, row, i), low = at(z, 0, row, i);
            q[i] = static_cast<uint8_t>(quarter < 2 ? w & 0x3F : (quarter == 2 ? low & 0xF : low >> 4) | ((w >> 6) << 4));
          }
          const size_t element = 128 * h + 32 * quarter + 4 * L;
          sub[element / 16] += dot4(q, a[sb].qs + element);
        }
    int32_t isum = 0;
    for (size_t j = 0; j < 16; ++j)
      isum += static_cast<int8_t>(blk[layout::q6_k::kScales + 16 * j + row]) * (sub[j] - 32 * a[sb].bsums[j]);
    acc = std::fma(static_cast<float>(isum), half_at(blk + layout::q6_k::kD, row) * a[sb].d, acc);
  }
  return acc;
}

float float_row(GgmlType t, const uint8_t* group, int64_t cols, size_t row, const float* x) {
  double acc = 0;
  for (int64_t c = 0; c < cols; ++c) {
    float w;
    if (t == GgmlType::f32) {
      std::memcpy(&w, group + (row * cols + c) * 4, 4);
    } else {
      uint16_t bits;
      std::memcpy(&bits, group + (row * cols + c) * 2, 2);
      w = t == GgmlType::f16 ? static_cast<float>(fp16_to_double(bits)) : bf16_to_float(bits);
    }
    acc += double{w} * x[c];
  }
  return static_cast<float>(acc);
}

template <GgmlType T, WeightCoding C = WeightCoding::unsigned_bytes>
void generic(const std::byte* packed, int64_t rows, int64_t cols, int64_t g0, int64_t g1, const std::byte* act,
             size_t act_stride, int64_t n_tokens, float* out, int64_t out_stride) {
  const size_t group_bytes = packed_group_bytes(T, cols);
  for (int64_t g = g0; g < g1; ++g) {
    const auto* group = reinterpret_cast<const uint8_t*>(packed) + g * group_bytes;
    for (int64_t tok = 0; tok < n_tokens; ++tok) {
      const std::byte* a = act + tok * act_stride;
      for (size_t r = 0; r < layout::kRows && g * kPackRows + static_cast<int64_t>(r) < rows; ++r) {
        float v;
        if constexpr (T == GgmlType::q4_0) v = q4_0_row(group, cols, r, reinterpret_cast<const ActQ8x32*>(a));
        else if constexpr (T == GgmlType::q8_0) v = q8_0_row<C>(group, cols, r, reinterpret_cast<const ActQ8x32*>(a));
        else if constexpr (T == GgmlType::mxfp4) v = mxfp4_row(group, cols, r, reinterpret_cast<const ActQ8x32*>(a));
        else if constexpr (T == GgmlType::q4_k) v = q4_k_row(group, cols, r, reinterpret_cast<const ActQ8x256*>(a));
        else if constexpr (T == GgmlType::q6_k) v = q6_k_row(group, cols, r, reinterpret_cast<const ActQ8x256*>(a));
        else v = float_row(T, group, cols, r, reinterpret_cast<const float*>(a));
        out[tok * out_stride + g * kPackRows + static_cast<int64_t>(r)] = v;
      }
    }
  }
}
}  // namespace

// Only Q8_0's bytes depend on the coding; the other types have one kernel for both.
MatmulKernel generic_matmul(GgmlType t, WeightCoding coding) {
  switch (t) {
    case GgmlType::q4_0: return {generic<GgmlType::q4_0>, "generic"};
    case GgmlType::q8_0:
      if (coding == WeightCoding::signed_bytes) return {generic<GgmlType::q8_0, WeightCoding::signed_bytes>, "generic"};
      return {generic<GgmlType::q8_0>, "generic"};
    case GgmlType::mxfp4: return {generic<GgmlType::mxfp4>, "generic"};
    case GgmlType::q4_k: return {generic<GgmlType::q4_k>, "generic"};
    case GgmlType::q6_k: return {generic<GgmlType::q6_k>, "generic"};
    case GgmlType::f32: return {generic<GgmlType::f32>, "generic"};
    case GgmlType::f16: return {generic<GgmlType::f16>, "generic"};
    case GgmlType::bf16: return {generic<GgmlType::bf16>, "generic"};
    default: return {};
  }
}

}  // namespace specgap::cpu
