// AMX peak kernels (Sapphire Rapids and later): one tile product per instruction on the core's matrix
// unit (TMUL). Every tile is 16 rows x 64 bytes. tdpbf16ps adds to each fp32 element of C the 32
// products of a row of A (32 bf16) with a column of B (16 rows of bf16 pairs): 16 x 16 x 32 = 8192
// multiplies, 16384 FLOP. tdpbusd does the same with 64 u8 x s8 products per int32 element: 32768 OP.
// Four accumulator tiles (tmm0-3), each fed by one of two A tiles (tmm4-5) and one of two B tiles
// (tmm6-7), make four independent chains: the eight tile registers hold no more. One product keeps
// the unit busy 16 cycles (cpu-uarch.md 3.7), so four in flight hide a latency of up to 64 cycles.
// Every row of A, B and C starts as the same 64 operand bytes as the vector kernels', so each lane's
// closed form is the vector one with 16 groups per instruction (PeakKernelEntry::groups_per_lane).
// The OS must have granted tile state first (arch_kernels.cpp); without it tile instructions fault.
#include <immintrin.h>

#include <cstdint>

#include "backends/cpu/arch/x86_64/x86_tables.h"

namespace specgap::cpu {
namespace {

constexpr int kTileRows = 16;
constexpr int kTileRowBytes = 64;
constexpr int kTileBytes = kTileRows * kTileRowBytes;
constexpr int kAccumulators = 4;

// What ldtilecfg reads (Intel SDM vol. 1, 18.2): palette 1, and rows and bytes per row of each tile.
struct alignas(64) TileConfig {
  uint8_t palette_id;
  uint8_t start_row;
  uint8_t reserved[14];
  uint16_t colsb[16];
  uint8_t rows[16];
};

struct alignas(64) TileImage {
  unsigned char bytes[kTileBytes];
};

TileImage repeated_rows(const unsigned char* row) {
  TileImage t;
  for (int i = 0; i < kTileBytes; ++i) t.bytes[i] = row[i % kTileRowBytes];
  return t;
}

template <bool kInt8>
void amx_loop(uint64_t iterations, const PeakOperands& ops, void* out) {
  TileConfig config = {};
  config.palette_id = 1;
  for (int t = 0; t < 8; ++t) {
    config.colsb[t] = kTileRowBytes;
    config.rows[t] = kTileRows;
  }
  const TileImage acc0 = repeated_rows(ops.acc0), a = repeated_rows(ops.a), b = repeated_rows(ops.b);
  _tile_loadconfig(&config);
  _tile_loadd(0, acc0.bytes, kTileRowBytes);
  _tile_loadd(1, acc0.bytes, kTileRowBytes);
  _tile_loadd(2, acc0.bytes, kTileRowBytes);
  _tile_loadd(3, acc0.bytes, kTileRowBytes);
  _tile_loadd(4, a.bytes, kTileRowBytes);
  _tile_loadd(5, a.bytes, kTileRowBytes);
  _tile_loadd(6, b.bytes, kTileRowBytes);
  _tile_loadd(7, b.bytes, kTileRowBytes);
  for (uint64_t i = 0; i < iterations; ++i) {
    if constexpr (kInt8) {
      _tile_dpbusd(0, 4, 6);
      _tile_dpbusd(1, 4, 7);
      _tile_dpbusd(2, 5, 6);
      _tile_dpbusd(3, 5, 7);
    } else {
      _tile_dpbf16ps(0, 4, 6);
      _tile_dpbf16ps(1, 4, 7);
      _tile_dpbf16ps(2, 5, 6);
      _tile_dpbf16ps(3, 5, 7);
    }
  }
  auto* bytes = static_cast<unsigned char*>(out);
  _tile_stored(0, bytes + 0 * kTileBytes, kTileRowBytes);
  _tile_stored(1, bytes + 1 * kTileBytes, kTileRowBytes);
  _tile_stored(2, bytes + 2 * kTileBytes, kTileRowBytes);
  _tile_stored(3, bytes + 3 * kTileBytes, kTileRowBytes);
  _tile_release();
}

// Ops per tile instruction by the hardware's counting: 16 x 16 output lanes, each summing
// kTileRowBytes of operands as multiply + add pairs.
constexpr int kBf16Ops = kTileRows * 16 * (kTileRowBytes / 2) * 2;
constexpr int kInt8Ops = kTileRows * 16 * kTileRowBytes * 2;
constexpr int kGroupsPerLane = kTileRowBytes / 4;

}  // namespace

const PeakKernelEntry kPeakKernelsAmxBf16[] = {
    {Dtype::bf16, "amx-bf16", "tdpbf16ps tmm", kTileBytes * 8, kAccumulators, kBf16Ops, &amx_loop<false>,
     kGroupsPerLane},
};
const size_t kPeakKernelsAmxBf16Count = sizeof kPeakKernelsAmxBf16 / sizeof kPeakKernelsAmxBf16[0];

const PeakKernelEntry kPeakKernelsAmxInt8[] = {
    {Dtype::int8, "amx-int8", "tdpbusd tmm", kTileBytes * 8, kAccumulators, kInt8Ops, &amx_loop<true>,
     kGroupsPerLane},
};
const size_t kPeakKernelsAmxInt8Count = sizeof kPeakKernelsAmxInt8 / sizeof kPeakKernelsAmxInt8[0];

}  // namespace specgap::cpu
