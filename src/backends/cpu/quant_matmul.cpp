#include "backends/cpu/quant_matmul.h"

#include <algorithm>
#include <array>
#include <iterator>
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

// Copies 4-byte steps of one GGUF block into the packed vectors: dst[vec * 64 + 4 * row + i] =
// src[first + 4 * vec + i] for the given vectors (the layout of quant_layout.h).
void scatter_steps(const uint8_t* src, size_t first, size_t vectors, size_t row, uint8_t* dst, uint8_t flip = 0) {
  for (size_t v = 0; v < vectors; ++v)
    for (size_t i = 0; i < 4; ++i) dst[v * 64 + 4 * row + i] = src[first + 4 * v + i] ^ flip;
}

// Each type's packer: one GGUF block of one row into its place in a packed block (quant_layout.h),
// in the given coding (only Q8_0's bytes depend on it).
void pack_q4_0(const uint8_t* src, size_t row, uint8_t* dst, WeightCoding) {
  const auto* b = reinterpret_cast<const BlockQ4_0*>(src);
  std::memcpy(dst + layout::q4_0::kScales + 2 * row, &b->d, 2);
  scatter_steps(b->qs, 0, 4, row, dst + layout::q4_0::kQuants);
}

void pack_q8_0(const uint8_t* src, size_t row, uint8_t* dst, WeightCoding coding) {
  const auto* b = reinterpret_cast<const BlockQ8_0*>(src);
  std::memcpy(dst + layout::q8_0::kScales + 2 * row, &b->d, 2);
  const uint8_t to_unsigned = coding == WeightCoding::unsigned_bytes ? 0x80 : 0;  // q ^ 0x80 = q + 128
  scatter_steps(reinterpret_cast<const uint8_t*>(b->qs), 0, 8, row, dst + layout::q8_0::kQuants, to_unsigned);
}

void pack_mxfp4(const uint8_t* src, size_t row, uint8_t* dst, WeightCoding) {
  const auto* b = reinterpret_cast<const BlockMXFP4*>(src);
  // E8M0 spends its top code on NaN. ggml reads it as 2^127, which the kernels' cheapest conversions
  // cannot give; no quantiser writes it, so a file that holds it is refused rather than guessed at.
  if (b->e == 0xFF) throw InvalidWeights("an MXFP4 block scale is 0xFF, which E8M0 defines as NaN");
  dst[layout::mxfp4::kScales + row] = b->e;
  scatter_steps(b->qs, 0, 4, row, dst + layout::mxfp4::kQuants);
}

void pack_q4_K(const uint8_t* src, size_t row, uint8_t* dst, WeightCoding) {
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
}

void pack_q6_K(const uint8_t* src, size_t row, uint8_t* dst, WeightCoding) {
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
}

// One row per weight type the matmul takes: the rest of this file reads only this table. (The
// kernels themselves are per ISA: quant_matmul_generic.cpp and arch/<processor>/.)
struct PackedType {
  GgmlType type;
  ActFormat act;
  // q8x32: what the packed weights add to each value (8, 128, 12), in the unsigned and the signed coding
  int32_t unsigned_offset, signed_offset;
  size_t block_bytes;  // packed bytes per block of columns for 16 rows
  void (*pack)(const uint8_t* src, size_t row, uint8_t* dst, WeightCoding coding);  // nullptr: float rows copied whole
};
constexpr PackedType kTypes[] = {
    {GgmlType::f32, ActFormat::f32, 0, 0, layout::kRows * 4, nullptr},
    {GgmlType::f16, ActFormat::f32, 0, 0, layout::kRows * 2, nullptr},
    {GgmlType::bf16, ActFormat::f32, 0, 0, layout::kRows * 2, nullptr},
    {GgmlType::q4_0, ActFormat::q8x32, 8, 8, layout::q4_0::kBlock, pack_q4_0},
    {GgmlType::q8_0, ActFormat::q8x32, 128, 0, layout::q8_0::kBlock, pack_q8_0},
    {GgmlType::mxfp4, ActFormat::q8x32, layout::mxfp4::kBias, layout::mxfp4::kBias, layout::mxfp4::kBlock, pack_mxfp4},
    {GgmlType::q4_k, ActFormat::q8x256, 0, 0, layout::q4_k::kBlock, pack_q4_K},
    {GgmlType::q6_k, ActFormat::q8x256, 0, 0, layout::q6_k::kBlock, pack_q6_K},
};

const PackedType* find(GgmlType t) {
  for (const PackedType& p : kTypes)
    if (p.type == t) return &p;
  return nullptr;
}

const PackedType& row_of(GgmlType t) {
  const PackedType* p = find(t);
  if (!p) throw Error("no matmul kernel for tensor type " + std::string(to_string(t)));
  return *p;
}

size_t blocks_per_row(GgmlType t, int64_t cols) { return static_cast<size_t>(cols) / traits(t).block_elems; }

}  // namespace

bool has_matmul(GgmlType t) { return find(t) != nullptr; }

std::string matmul_type_names() {
  std::string names;
  for (const PackedType& p : kTypes) names += (names.empty() ? "" : " ") + std::string(to_string(p.type));
  return names;
}

int32_t act_weight_offset(GgmlType t, WeightCoding coding) {
  const PackedType& type = row_of(t);
  return coding == WeightCoding::unsigned_bytes ? type.unsigned_offset : type.signed_offset;
}

ActFormat act_format(GgmlType t) { return row_of(t).act; }

size_t packed_group_bytes(GgmlType t, int64_t cols) { return blocks_per_row(t, cols) * row_of(t).block_bytes; }

size_t packed_bytes(GgmlType t, int64_t rows, int64_t cols) {
  const int64_t groups = (rows + kPackRows - 1) / kPackRows;
  return static_cast<size_t>(groups) * packed_group_bytes(t, cols);
}

void pack_groups(GgmlType t, const void* rows_src, int64_t rows, int64_t cols, std::byte* dst, int64_t g0,
                 int64_t g1, WeightCoding coding) {
  const PackedType& type = row_of(t);
  const size_t group_bytes = packed_group_bytes(t, cols);
  const size_t row_bytes = blocks_per_row(t, cols) * traits(t).block_bytes;
  const auto* src = static_cast<const uint8_t*>(rows_src);
  for (int64_t g = g0; g < g1; ++g) {
    auto* out = reinterpret_cast<uint8_t*>(dst) + g * group_bytes;
    std::memset(out, 0, group_bytes);  // padding rows: zero scales, so they sum to zero
    const int64_t first = g * kPackRows, last = std::min(rows, first + kPackRows);
    if (!type.pack) {
      std::memcpy(out, src + first * row_bytes, (last - first) * row_bytes);
      continue;
    }
    const size_t blocks = blocks_per_row(t, cols), in_block = traits(t).block_bytes;
    for (int64_t r = first; r < last; ++r)
      for (size_t b = 0; b < blocks; ++b)
        type.pack(src + r * row_bytes + b * in_block, static_cast<size_t>(r - first), out + b * type.block_bytes,
                  coding);
  }
}

size_t act_row_bytes(GgmlType t, int64_t cols) {
  switch (row_of(t).act) {
    case ActFormat::f32: return static_cast<size_t>(cols) * sizeof(float);
    case ActFormat::q8x32: return static_cast<size_t>(cols / 32) * sizeof(ActQ8x32);
    case ActFormat::q8x256: return static_cast<size_t>(cols / 256) * sizeof(ActQ8x256);
  }
  return 0;
}

void quantize_act_row(GgmlType t, const float* x, int64_t cols, std::byte* dst) {
  // Resolved once per type: the CPU does not change under a running process.
  static const auto simd = [] {
    std::array<QuantizeActFn, std::size(kTypes)> fns{};
    for (size_t i = 0; i < std::size(kTypes); ++i) fns[i] = arch_quantize_act(kTypes[i].type);
    return fns;
  }();
  const PackedType& type = row_of(t);
  if (QuantizeActFn fn = simd[static_cast<size_t>(&type - kTypes)]) return fn(t, x, cols, dst);
  quantize_act_row_portable(t, x, cols, dst);
}

SPECGAP_CLONES
void quantize_act_row_portable(GgmlType t, const float* x, int64_t cols, std::byte* dst, WeightCoding coding) {
  const PackedType& type = row_of(t);
  if (type.act == ActFormat::f32) {
    std::memcpy(dst, x, cols * sizeof(float));
    return;
  }
  if (type.act == ActFormat::q8x32) {
    // As llama.cpp's Q8_0: d = max|x| / 127, quants rounded to nearest with that d, and the d the
    // dot product uses rounded to fp16, as its block stores it.
    const int32_t bias_per_unit = act_weight_offset(t, coding);
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
  row_of(t);
  const auto simd = arch_matmuls(t);
  return simd.empty() ? generic_matmul(t) : simd.front();
}

std::vector<MatmulKernel> simd_matmuls(GgmlType t) {
  row_of(t);
  return arch_matmuls(t);
}

}  // namespace specgap::cpu
