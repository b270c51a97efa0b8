#include "backends/cpu/quant_matmul.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "backends/cpu/arch_kernels.h"
#include "backends/cpu/half.h"
#include "backends/cpu/quant_blocks.h"
#include "backends/cpu/quant_layout.h"
#include "core/error.h"
#include "core/target_clones.h"

namespace specgap::cpu {
namespace {
bool is_float(GgmlType t) { return t == GgmlType::f32 || t == GgmlType::f16 || t == GgmlType::bf16; }

void require_matmul(GgmlType t) {
  if (!has_matmul(t)) throw Error("no matmul kernel for tensor type " + std::string(to_string(t)));
}

// Bytes of the GGUF row and of one packed group per block of columns.
size_t blocks_per_row(GgmlType t, int64_t cols) { return static_cast<size_t>(cols) / traits(t).block_elems; }

size_t packed_block_bytes(GgmlType t) {
  switch (t) {
    case GgmlType::q4_0: return layout::q4_0::kBlock;
    case GgmlType::q8_0: return layout::q8_0::kBlock;
    case GgmlType::q4_k: return layout::q4_k::kBlock;
    case GgmlType::q6_k: return layout::q6_k::kBlock;
    default: return layout::kRows * traits(t).block_bytes;  // float types: 16 rows as stored
  }
}

// Copies 4-byte steps of one GGUF block into the packed vectors: dst[vec * 64 + 4 * row + i] =
// src[first + 4 * vec + i] for the given vectors (the layout of quant_layout.h).
void scatter_steps(const uint8_t* src, size_t first, size_t vectors, size_t row, uint8_t* dst, uint8_t flip = 0) {
  for (size_t v = 0; v < vectors; ++v)
    for (size_t i = 0; i < 4; ++i) dst[v * 64 + 4 * row + i] = src[first + 4 * v + i] ^ flip;
}

void pack_block(GgmlType t, const uint8_t* src, size_t row, uint8_t* dst) {
  switch (t) {
    case GgmlType::q4_0: {
      const auto* b = reinterpret_cast<const BlockQ4_0*>(src);
      std::memcpy(dst + layout::q4_0::kScales + 2 * row, &b->d, 2);
      scatter_steps(b->qs, 0, 4, row, dst + layout::q4_0::kQuants);
      break;
    }
    case GgmlType::q8_0: {
      const auto* b = reinterpret_cast<const BlockQ8_0*>(src);
      std::memcpy(dst + layout::q8_0::kScales + 2 * row, &b->d, 2);
      scatter_steps(reinterpret_cast<const uint8_t*>(b->qs), 0, 8, row, dst + layout::q8_0::kQuants, 0x80);
      break;
    }
    case GgmlType::q4_k: {
      const auto* b = reinterpret_cast<const BlockQ4_K*>(src);
      std::memcpy(dst + layout::q4_k::kD + 2 * row, &b->d, 2);
      std::memcpy(dst + layout::q4_k::kDmin + 2 * row, &b->dmin, 2);
      const uint8_t* s = b->scales;
      for (size_t j = 0; j < 8; ++j) {
        const uint8_t sc = j < 4 ? s[j] & 63 : (s[j + 4] & 0xF) | ((s[j - 4] >> 6) << 4);
        const uint8_t m = j < 4 ? s[j + 4] & 63 : (s[j + 4] >> 4) | ((s[j] >> 6) << 4);
        dst[layout::q4_k::kScales + 16 * j + row] = sc;
        dst[layout::q4_k::kMins + 16 * j + row] = m;
      }
      for (size_t c = 0; c < 4; ++c) scatter_steps(b->qs, 32 * c, 8, row, dst + layout::q4_k::kQuants + 512 * c);
      break;
    }
    case GgmlType::q6_k: {
      const auto* b = reinterpret_cast<const BlockQ6_K*>(src);
      std::memcpy(dst + layout::q6_k::kD + 2 * row, &b->d, 2);
      for (size_t j = 0; j < 16; ++j) dst[layout::q6_k::kScales + 16 * j + row] = static_cast<uint8_t>(b->scales[j]);
      for (size_t h = 0; h < 2; ++h) {
        // GGUF's half h: ql[64h + l] holds quarters 0 and 2 of column l (low, high nibble),
        // ql[64h + 32 + l] quarters 1 and 3, and qh[32h + l] the top bit pairs of quarters 0..3.
        uint8_t x[32], y[32], z[32];
        for (size_t l = 0; l < 32; ++l) {
          const uint8_t lo02 = b->ql[64 * h + l], lo13 = b->ql[64 * h + 32 + l], hi = b->qh[32 * h + l];
          const uint8_t q0 = (lo02 & 0xF) | ((hi & 3) << 4), q1 = (lo13 & 0xF) | (((hi >> 2) & 3) << 4);
          x[l] = static_cast<uint8_t>(q0 | (((hi >> 4) & 3) << 6));
          y[l] = static_cast<uint8_t>(q1 | ((hi >> 6) << 6));
          z[l] = static_cast<uint8_t>((lo02 >> 4) | (lo13 & 0xF0));
        }
        const uint8_t* parts[3] = {x, y, z};
        for (size_t part = 0; part < 3; ++part)
          for (size_t step = 0; step < 8; ++step)
            scatter_steps(parts[part], 4 * step, 1, row, dst + layout::q6_k::vector(h, step, part));
      }
      break;
    }
    default: break;
  }
}
}  // namespace

bool has_matmul(GgmlType t) {
  return is_float(t) || t == GgmlType::q4_0 || t == GgmlType::q8_0 || t == GgmlType::q4_k || t == GgmlType::q6_k;
}

size_t packed_group_bytes(GgmlType t, int64_t cols) {
  require_matmul(t);
  return blocks_per_row(t, cols) * packed_block_bytes(t);
}

size_t packed_bytes(GgmlType t, int64_t rows, int64_t cols) {
  const int64_t groups = (rows + kPackRows - 1) / kPackRows;
  return static_cast<size_t>(groups) * packed_group_bytes(t, cols);
}

void pack_groups(GgmlType t, const void* rows_src, int64_t rows, int64_t cols, std::byte* dst, int64_t g0,
                 int64_t g1) {
  const size_t group_bytes = packed_group_bytes(t, cols);
  const size_t row_bytes = blocks_per_row(t, cols) * traits(t).block_bytes;
  const auto* src = static_cast<const uint8_t*>(rows_src);
  for (int64_t g = g0; g < g1; ++g) {
    auto* out = reinterpret_cast<uint8_t*>(dst) + g * group_bytes;
    std::memset(out, 0, group_bytes);  // padding rows: zero scales, so they sum to zero
    const int64_t first = g * kPackRows, last = std::min(rows, first + kPackRows);
    if (is_float(t)) {
      std::memcpy(out, src + first * row_bytes, (last - first) * row_bytes);
      continue;
    }
    const size_t blocks = blocks_per_row(t, cols), in_block = traits(t).block_bytes, out_block = packed_block_bytes(t);
    for (int64_t r = first; r < last; ++r)
      for (size_t b = 0; b < blocks; ++b)
        pack_block(t, src + r * row_bytes + b * in_block, static_cast<size_t>(r - first), out + b * out_block);
  }
}

size_t act_row_bytes(GgmlType t, int64_t cols) {
  require_matmul(t);
  if (is_float(t)) return static_cast<size_t>(cols) * sizeof(float);
  if (t == GgmlType::q4_0 || t == GgmlType::q8_0) return static_cast<size_t>(cols / 32) * sizeof(ActQ8x32);
  return static_cast<size_t>(cols / 256) * sizeof(ActQ8x256);
}

void quantize_act_row(GgmlType t, const float* x, int64_t cols, std::byte* dst) {
  // Resolved once per type: the CPU does not change under a running process.
  static const QuantizeActFn simd[] = {arch_quantize_act(GgmlType::q4_0), arch_quantize_act(GgmlType::q8_0),
                                       arch_quantize_act(GgmlType::q4_k), arch_quantize_act(GgmlType::q6_k)};
  const int slot = t == GgmlType::q4_0 ? 0 : t == GgmlType::q8_0 ? 1 : t == GgmlType::q4_k ? 2 : t == GgmlType::q6_k ? 3 : -1;
  if (slot >= 0 && simd[slot]) return simd[slot](t, x, cols, dst);
  quantize_act_row_portable(t, x, cols, dst);
}

SPECGAP_CLONES
void quantize_act_row_portable(GgmlType t, const float* x, int64_t cols, std::byte* dst) {
  if (is_float(t)) {
    std::memcpy(dst, x, cols * sizeof(float));
    return;
  }
  if (t == GgmlType::q4_0 || t == GgmlType::q8_0) {
    // As llama.cpp's Q8_0: d = max|x| / 127, quants rounded to nearest with that d, and the d the
    // dot product uses rounded to fp16, as its block stores it.
    const int32_t bias_per_unit = t == GgmlType::q4_0 ? 8 : 128;
    auto* out = reinterpret_cast<ActQ8x32*>(dst);
    for (int64_t b = 0; b < cols / 32; ++b, x += 32) {
      float amax = 0;
      for (int i = 0; i < 32; ++i) amax = std::max(amax, std::fabs(x[i]));
      const float d = amax / 127.0f, id = d != 0 ? 1.0f / d : 0.0f;
      int32_t sum = 0;
      for (int i = 0; i < 32; ++i) {
        const auto q = static_cast<int8_t>(std::nearbyint(x[i] * id));
        out[b].qs[i] = q;
        sum += q;
      }
      out[b].d = fp16_to_float(float_to_fp16(d));
      out[b].bias = -bias_per_unit * sum;
    }
    return;
  }
  // As llama.cpp's Q8_K: scale from the signed value of largest magnitude, so it maps to -127.
  auto* out = reinterpret_cast<ActQ8x256*>(dst);
  for (int64_t b = 0; b < cols / 256; ++b, x += 256) {
    float amax = 0, max = 0;
    for (int i = 0; i < 256; ++i)
      if (std::fabs(x[i]) > amax) amax = std::fabs(x[i]), max = x[i];
    std::memset(&out[b], 0, sizeof(ActQ8x256));
    if (amax == 0) continue;
    const float iscale = -127.0f / max;
    for (int i = 0; i < 256; ++i)
      out[b].qs[i] = static_cast<int8_t>(std::min(127, static_cast<int>(std::nearbyint(iscale * x[i]))));
    for (int j = 0; j < 16; ++j) {
      int sum = 0;
      for (int i = 0; i < 16; ++i) sum += out[b].qs[16 * j + i];
      out[b].bsums[j] = static_cast<int16_t>(sum);
    }
    out[b].d = 1.0f / iscale;
  }
}

MatmulKernel select_matmul(GgmlType t) {
  require_matmul(t);
  const auto simd = arch_matmuls(t);
  return simd.empty() ? generic_matmul(t) : simd.front();
}

std::vector<MatmulKernel> simd_matmuls(GgmlType t) {
  require_matmul(t);
  return arch_matmuls(t);
}

}  // namespace specgap::cpu
