#pragma once
// Where each field of a packed 16-row group lives (quant_matmul.h). One place, read by the packer,
// the portable kernels and every SIMD kernel. "Step" s of a block covers its quants 4s..4s+3; a
// 64-byte vector holds one step of all 16 rows, row r at bytes 4r..4r+3.
#include <cstddef>
#include <cstdint>

namespace specgap::cpu::layout {

constexpr size_t kRows = 16;

// Q4_0, per block of 32 columns: 16 fp16 scales, then 4 vectors; vector L holds, for each row, the
// bytes qs[4L..4L+3] of the GGUF block: low nibbles are step L, high nibbles step L+4. Stored as in
// the file (unsigned, value + 8).
namespace q4_0 {
constexpr size_t kScales = 0, kQuants = 32, kBlock = 32 + 256;
}
// Q8_0, per block of 32 columns: 16 fp16 scales, then 8 vectors (step s), each quant stored as
// q + 128 (unsigned) in the unsigned coding, the operand VNNI's vpdpbusd wants, and as q (int8) in the
// signed coding, SDOT's (quant_matmul.h, WeightCoding).
namespace q8_0 {
constexpr size_t kScales = 0, kQuants = 32, kBlock = 32 + 512;
}
// MXFP4, per block of 32 columns: the 16 rows' E8M0 exponents (a byte each), then 4 vectors laid out
// as Q4_0's, holding the E2M1 codes as the file has them. The kernels map each code through
// kBiasedCodes to its doubled value plus kBias (0..24: unsigned, the operand vpdpbusd and vpmaddubsw
// take), and the activations' bias takes kBias times their sum back off. So a block is 272 bytes for
// 16 rows, the file's 16 x 17.
namespace mxfp4 {
constexpr size_t kScales = 0, kQuants = 16, kBlock = 16 + 256;
constexpr int32_t kBias = 12;
constexpr uint8_t kBiasedCodes[16] = {12, 13, 14, 15, 16, 18, 20, 24, 12, 11, 10, 9, 8, 6, 4, 0};
}
// Q4_K, per super-block of 256 columns: d and dmin (16 fp16 each), the 6-bit scales and mins unpacked
// to one byte per (sub-block, row), then 4 chunks of 8 vectors: chunk c vector L holds each row's
// qs[32c + 4L .. +3]; low nibbles are step L of sub-block 2c, high nibbles step L of sub-block 2c+1.
namespace q4_k {
constexpr size_t kD = 0, kDmin = 32, kScales = 64, kMins = 64 + 128, kQuants = 64 + 256, kBlock = 64 + 256 + 2048;
}
// Q6_K, per super-block of 256 columns: d (16 fp16), the int8 scales as [sub-block 16][row 16], then
// the 6-bit quants (value + 32, 0..63) rearranged so that unpacking takes few operations and the
// kernels read the super-block front to back. Quarter k of half h is columns 128h + 32k .. +31, and
// step L of it columns 128h + 32k + 4L .. +3. Per half h and step L, three vectors, at
// vector(h, L, part), hold the four quarters' bytes of each row:
//   part 0 (X): quarter 0 in bits 0-5, the top 2 bits of quarter 2 in bits 6-7;
//   part 1 (Y): quarter 1 in bits 0-5, the top 2 bits of quarter 3 in bits 6-7;
//   part 2 (Z): the low 4 bits of quarter 2, then of quarter 3.
// Quarters 0 and 1 are one AND each, 2 and 3 four or five operations (against 17 for the four in
// GGUF's split of low nibbles and high bit pairs). In order, the hardware prefetcher follows the reads;
// GGUF's order made them jump between three regions, which it did not follow.
namespace q6_k {
constexpr size_t kD = 0, kScales = 32, kQuants = 32 + 256, kBlock = 32 + 256 + 3072;
constexpr size_t vector(size_t h, size_t step, size_t part) { return kQuants + 1536 * h + 192 * step + 64 * part; }
}

}  // namespace specgap::cpu::layout
