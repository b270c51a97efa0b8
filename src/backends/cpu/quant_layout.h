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
// q + 128 (unsigned), the operand order VNNI's vpdpbusd wants.
namespace q8_0 {
constexpr size_t kScales = 0, kQuants = 32, kBlock = 32 + 512;
}
// Q4_K, per super-block of 256 columns: d and dmin (16 fp16 each), the 6-bit scales and mins unpacked
// to one byte per (sub-block, row), then 4 chunks of 8 vectors: chunk c vector L holds each row's
// qs[32c + 4L .. +3]; low nibbles are step L of sub-block 2c, high nibbles step L of sub-block 2c+1.
namespace q4_k {
constexpr size_t kD = 0, kDmin = 32, kScales = 64, kMins = 64 + 128, kQuants = 64 + 256, kBlock = 64 + 256 + 2048;
}
// Q6_K, per super-block of 256 columns: d (16 fp16), the int8 scales as [sub-block 16][row 16], then
// the low nibbles: half h, part p, vector L holds each row's ql[64h + 32p + 4L .. +3]; then the high
// bits: half h, vector L holds each row's qh[32h + 4L .. +3] (bits 2k..2k+1 belong to quarter k).
namespace q6_k {
constexpr size_t kD = 0, kScales = 32, kLow = 32 + 256, kHigh = 32 + 256 + 2048, kBlock = 32 + 256 + 2048 + 1024;
}

}  // namespace specgap::cpu::layout
