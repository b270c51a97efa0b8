// The x86 and Arm rows of cpu-uarch.md section 6. Each core is described by its vector datapath (bits
// per FMA pipe and how many pipes issue FMA or dot products); the per-dtype rates follow from it, since
// on every core listed the dot products issue on the FMA pipes at the FMA rate (measured on Zen 5,
// section 8; derived from the pipe counts elsewhere). Source tags are that file's section 1.
#include "probe/peak_rates.h"

#include <algorithm>

#include <fmt/format.h>

namespace specgap {
namespace {

struct CoreRow {
  std::string_view id;
  int datapath_bits;  // width of one FMA pipe; wider instructions are split over it
  int fma_pipes;
  const char* fma_source;
  const char* fma_confidence;
  const char* dot_source;
  const char* dot_confidence;
  // Arm SMMLA / BFMMLA at the dot products' issue rate; null where the core has none, or no source
  // gives its rate.
  const char* mmla_source = nullptr;
  const char* mmla_confidence = nullptr;
};

constexpr CoreRow kCores[] = {
    {"zen2", 256, 2, "cpu-uarch.md 3.1 (AMD-SOG 17h)", "derived", "no dot-product instructions", "derived"},
    {"zen3", 256, 2, "cpu-uarch.md 3.2 (AMD-SOG 19h)", "derived", "no dot-product instructions", "derived"},
    {"zen4", 256, 2, "cpu-uarch.md 3.3 (NW-ZEN5: 512-bit ops double-pumped)", "derived",
     "cpu-uarch.md 3.3: issue rate assumed equal to FMA", "unconfirmed"},
    {"zen5-512", 512, 2, "cpu-uarch.md 3.4 (HOTCHIPS-Z5, NW-ZEN5)", "derived",
     "cpu-uarch.md 8: vdpbf16ps and vpdpbusd measured at 2 per cycle on Turin", "measured"},
    {"zen5-256", 256, 2, "cpu-uarch.md 3.4 (CNC-STXP / DH)", "derived",
     "cpu-uarch.md 3.4: issue rate assumed equal to FMA", "unconfirmed"},
    {"skx", 512, 2, "cpu-uarch.md 3.5 (AGNER/UOPS; some Bronze, Silver and Gold 5xxx SKUs have 1 FMA unit)",
     "derived", "cpu-uarch.md 3.5: vpdpbusd 2 per cycle", "derived"},
    {"icx", 512, 2, "cpu-uarch.md 6 (icx row)", "derived", "cpu-uarch.md 6: vpdpbusd 256 OP/cycle", "derived"},
    {"spr", 512, 2, "cpu-uarch.md 6 (spr row)", "derived",
     "cpu-uarch.md 6: VNNI 256 derived; vdpbf16ps and vfmadd*ph rates unconfirmed", "unconfirmed"},
    {"gnr", 512, 2, "cpu-uarch.md 6 (gnr row)", "derived",
     "cpu-uarch.md 6: VNNI derived; vdpbf16ps and vfmadd*ph rates unconfirmed", "unconfirmed"},
    {"glc-client", 256, 2, "cpu-uarch.md 6 (glc-client row)", "derived", "cpu-uarch.md 6: AVX-VNNI rate unconfirmed",
     "unconfirmed"},
    {"gracemont", 128, 2, "cpu-uarch.md 6 (gracemont row)", "derived", "cpu-uarch.md 6: AVX-VNNI rate unconfirmed",
     "unconfirmed"},
    {"lioncove", 256, 2, "cpu-uarch.md 6 (lioncove row: pipe count unconfirmed)", "unconfirmed",
     "cpu-uarch.md 6: AVX-VNNI rate unconfirmed", "unconfirmed"},
    {"skymont", 128, 4, "cpu-uarch.md 6 (skymont row; AT-LNL)", "derived", "cpu-uarch.md 6: AVX-VNNI rate unconfirmed",
     "unconfirmed"},
    // Arm: every core listed runs SVE at 128 bits per pipe or less (V1: 2 x 256 = 4 x 128), so its SVE
    // and NEON paths retire the same bits per cycle and one datapath describes both.
    {"n1", 128, 2, "cpu-uarch.md 3.11 (LLVM-N1: ASIMD FMLA on V0 and V1)", "derived",
     "cpu-uarch.md 3.11: SDOT on the 2 ASIMD pipes; no BF16 or I8MM", "derived"},
    {"v1", 128, 4, "cpu-uarch.md 3.12 (LLVM-V1: ASIMD FMLA on V0-V3, SVE FMLA 2 x 256)", "derived",
     "cpu-uarch.md 3.12 (LLVM-V1: SDOT and BFDOT on 4 pipes)", "derived",
     "cpu-uarch.md 3.12 (LLVM-V1: SMMLA and BFMMLA on 4 pipes); architectural peak, GEMMs measure less", "derived"},
    {"v2", 128, 4, "cpu-uarch.md 3.13 (LLVM-V2: FMLA on any of 4 V pipes)", "derived",
     "cpu-uarch.md 3.13 (LLVM-V2: SDOT and BFDOT on 4 pipes)", "derived",
     "cpu-uarch.md 3.13 (LLVM-V2: SMMLA and BFMMLA on 4 pipes)", "derived"},
    {"x925", 128, 6, "cpu-uarch.md 3.14 (BLIS-GB10: 6 x 128-bit FP pipes; all 6 issuing FMA is unconfirmed)",
     "unconfirmed", "cpu-uarch.md 3.14: DOT on all 6 pipes unconfirmed", "unconfirmed",
     "cpu-uarch.md 3.14: MMLA on all 6 pipes unconfirmed", "unconfirmed"},
    {"a725", 128, 2, "cpu-uarch.md 3.15 (BLIS-GB10: 2 x 128-bit FP pipes, 10 cores DP 224 / SP 448 GFLOP/s)",
     "derived", "cpu-uarch.md 3.15: SDOT and BFDOT on the 2 pipes", "derived",
     "cpu-uarch.md 3.15: MMLA rate unconfirmed", "unconfirmed"},
    // Apple P-cores: BF16 and I8MM exist from M2 on, but no source gives their rates (no MMLA entry).
    {"apple-p", 128, 4, "cpu-uarch.md 3.16 (4 x 128-bit FMA pipes, latency 4: TZ-M4SME; count from Firestorm tables)",
     "derived", "cpu-uarch.md 3.16: SDOT 128 derived; BFDOT rate unconfirmed", "unconfirmed"},
};

// Cores with a matrix unit (AMX): what one core's TMUL does per cycle, by the hardware's counting.
struct MatrixRow {
  std::string_view id;
  Dtype dtype;
  double ops_per_cycle;
  const char* basis;
};

constexpr const char* kAmxSource = "cpu-uarch.md 3.7 (AMX-WIKI citing Intel: 2048 INT8 or 1024 BF16 operations per cycle)";
constexpr MatrixRow kMatrixUnits[] = {
    {"spr", Dtype::bf16, 1024, "1 TMUL: a 16x16x32 bf16 tile product (16384 FLOP) per 16 cycles"},
    {"spr", Dtype::int8, 2048, "1 TMUL: a 16x16x64 int8 tile product (32768 OP) per 16 cycles"},
    {"gnr", Dtype::bf16, 1024, "1 TMUL: a 16x16x32 bf16 tile product (16384 FLOP) per 16 cycles"},
    {"gnr", Dtype::int8, 2048, "1 TMUL: a 16x16x64 int8 tile product (32768 OP) per 16 cycles"},
};

std::optional<PeakRate> matrix_rate(std::string_view uarch_id, Dtype dtype) {
  for (const auto& row : kMatrixUnits)
    if (row.id == uarch_id && row.dtype == dtype) return PeakRate{row.ops_per_cycle, row.basis, kAmxSource, "read"};
  return std::nullopt;
}

// How a vector lane is counted: an FMA is 2 ops per element; a bf16 pair dot product (32-bit lane)
// is 2 multiplies + 2 adds; an int8 quad dot product (32-bit lane) 4 + 4. A matrix multiply-accumulate
// sums twice as many products into each 32-bit lane (a 2 x 2 result from 2 rows of 4 bf16 or 8 int8).
struct LaneCount {
  int bits;
  int ops;
};
LaneCount lane_count(Dtype d, VectorOp op) {
  const int per_dot = op == VectorOp::mmla ? 2 : 1;
  switch (d) {
    case Dtype::fp64: return {64, 2};
    case Dtype::fp32: return {32, 2};
    case Dtype::fp16: return {16, 2};
    case Dtype::bf16: return {32, 4 * per_dot};
    case Dtype::int8: return {32, 8 * per_dot};
    default: return {0, 0};
  }
}

bool is_dot_product(Dtype d) { return d == Dtype::bf16 || d == Dtype::int8; }

std::string_view unit_word(Dtype d) { return is_integer(d) ? "OP" : "FLOP"; }

}  // namespace

std::optional<PeakRate> peak_rate(std::string_view uarch_id, Dtype dtype, int vector_bits, VectorOp op) {
  if (vector_bits == kAmxTileBits) return op == VectorOp::fma_or_dot ? matrix_rate(uarch_id, dtype) : std::nullopt;
  const auto row = std::find_if(std::begin(kCores), std::end(kCores),
                                [&](const CoreRow& r) { return r.id == uarch_id; });
  const bool mmla = op == VectorOp::mmla;
  const LaneCount lane = lane_count(dtype, op);
  if (row == std::end(kCores) || lane.bits == 0 || vector_bits <= 0) return std::nullopt;
  if (mmla && (!is_dot_product(dtype) || !row->mmla_source)) return std::nullopt;
  // A vector wider than the pipe is split over it (Zen 4 double-pumps 512-bit ops): the pipe's width
  // is what retires per cycle.
  const int issued_bits = std::min(vector_bits, row->datapath_bits);
  const int lanes = row->fma_pipes * (issued_bits / lane.bits);
  const double per_cycle = static_cast<double>(lanes) * lane.ops;
  const bool dot = is_dot_product(dtype);
  PeakRate rate;
  rate.ops_per_cycle = per_cycle;
  rate.basis = fmt::format("{} FMA pipes x {} bit{}: {} {}-bit lanes x {} {} = {} {}/cycle", row->fma_pipes,
                           row->datapath_bits,
                           vector_bits > row->datapath_bits ? fmt::format(" ({}-bit ops split)", vector_bits) : "",
                           lanes, lane.bits, lane.ops, unit_word(dtype), per_cycle, unit_word(dtype));
  if (mmla) {
    rate.source = fmt::format("{}; pipes: {}", row->mmla_source, row->fma_source);
    rate.confidence = row->mmla_confidence;
  } else {
    rate.source = dot ? fmt::format("{}; pipes: {}", row->dot_source, row->fma_source) : row->fma_source;
    rate.confidence = dot ? row->dot_confidence : row->fma_confidence;
  }
  return rate;
}

TheoreticalPeak theoretical_peak(const PeakRate& rate, int cores, double ghz, Dtype dtype) {
  TheoreticalPeak peak;
  peak.ops_per_second = cores * ghz * 1e9 * rate.ops_per_cycle;
  peak.formula = fmt::format("{} cores x {:.3f} GHz x {} {}/cycle = {:.1f} G{}/s", cores, ghz, rate.ops_per_cycle,
                             unit_word(dtype), peak.ops_per_second / 1e9, unit_word(dtype));
  return peak;
}

}  // namespace specgap
