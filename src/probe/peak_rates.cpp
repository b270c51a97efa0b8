// The x86 rows of cpu-uarch.md section 6. Each core is described by its vector datapath (bits per FMA
// pipe and how many pipes issue FMA or dot products); the per-dtype rates follow from it, since on
// every core listed the dot products issue on the FMA pipes at the FMA rate (measured on Zen 5,
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
// is 2 multiplies + 2 adds; an int8 quad dot product (32-bit lane) 4 + 4.
struct LaneCount {
  int bits;
  int ops;
};
LaneCount lane_count(Dtype d) {
  switch (d) {
    case Dtype::fp64: return {64, 2};
    case Dtype::fp32: return {32, 2};
    case Dtype::fp16: return {16, 2};
    case Dtype::bf16: return {32, 4};
    case Dtype::int8: return {32, 8};
    default: return {0, 0};
  }
}

bool is_dot_product(Dtype d) { return d == Dtype::bf16 || d == Dtype::int8; }

std::string_view unit_word(Dtype d) { return is_integer(d) ? "OP" : "FLOP"; }

}  // namespace

std::optional<PeakRate> peak_rate(std::string_view uarch_id, Dtype dtype, int vector_bits) {
  if (vector_bits == kAmxTileBits) return matrix_rate(uarch_id, dtype);
  const auto row = std::find_if(std::begin(kCores), std::end(kCores),
                                [&](const CoreRow& r) { return r.id == uarch_id; });
  const LaneCount lane = lane_count(dtype);
  if (row == std::end(kCores) || lane.bits == 0 || vector_bits <= 0) return std::nullopt;
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
  rate.source = dot ? fmt::format("{}; pipes: {}", row->dot_source, row->fma_source) : row->fma_source;
  rate.confidence = dot ? row->dot_confidence : row->fma_confidence;
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
