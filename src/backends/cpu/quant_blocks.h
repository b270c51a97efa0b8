#pragma once
// The byte layout of ggml's quantised blocks, exactly as GGUF files store them (reference/llm.md §2.2,
// from ggml-common.h). Packed little-endian structs; the static_asserts pin their sizes to the type
// table in core/ggml_type.cpp.
#include <cstdint>

namespace specgap::cpu {

using half_bits = uint16_t;  // an IEEE fp16 as stored

constexpr int kQK = 32;    // elements per Q4_0 / Q8_0 block
constexpr int kQKK = 256;  // elements per K-quant super-block

#pragma pack(push, 1)
struct BlockQ8_0 {
  half_bits d;      // scale
  int8_t qs[kQK];   // y = d * qs
};
struct BlockQ4_0 {
  half_bits d;
  uint8_t qs[kQK / 2];  // element j: low nibble of qs[j] - 8; element j+16: high nibble - 8
};
struct BlockQ4_K {
  half_bits d, dmin;
  uint8_t scales[12];     // 8 sub-blocks of 32: 6-bit scale and 6-bit min each
  uint8_t qs[kQKK / 2];
};
struct BlockQ6_K {
  uint8_t ql[kQKK / 2];       // low 4 bits
  uint8_t qh[kQKK / 4];       // high 2 bits
  int8_t scales[kQKK / 16];   // 16 sub-blocks of 16
  half_bits d;
};
// MXFP4 (OCP MX): one E8M0 scale 2^(e-127) for 32 E2M1 values (reference/llm.md §2.2).
struct BlockMXFP4 {
  uint8_t e;             // E8M0 exponent
  uint8_t qs[kQK / 2];   // element j: low nibble of qs[j]; element j+16: high nibble (as Q4_0)
};
// The activation format of K-quant dot products (never stored in model files).
struct BlockQ8_K {
  float d;
  int8_t qs[kQKK];
  int16_t bsums[kQKK / 16];  // sum of each group of 16 qs
};
#pragma pack(pop)

static_assert(sizeof(BlockQ8_0) == 34);
static_assert(sizeof(BlockQ4_0) == 18);
static_assert(sizeof(BlockQ4_K) == 144);
static_assert(sizeof(BlockQ6_K) == 210);
static_assert(sizeof(BlockQ8_K) == 292);
static_assert(sizeof(BlockMXFP4) == 17);

// E2M1 codes doubled, so that they are integers: code c is kMXFP4Values[c] / 2 (0, 0.5, 1, 1.5, 2, 3,
// 4, 6 and their negatives); ggml's kvalues_mxfp4.
constexpr int8_t kMXFP4Values[16] = {0, 1, 2, 3, 4, 6, 8, 12, 0, -1, -2, -3, -4, -6, -8, -12};

}  // namespace specgap::cpu
