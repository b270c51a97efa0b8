#pragma once
// What one core can compute per cycle on one instruction path: the per-microarchitecture table of
// shared/reference/cpu-uarch.md (sections 3 and 6), from which the theoretical peak of a machine is
// cores x measured clock x ops per cycle. Counting follows the hardware: an FMA is 2 ops, each
// multiply of a dot product is 2 (multiply + add).
#include <optional>
#include <string>
#include <string_view>

#include "core/dtype.h"

namespace specgap {

struct PeakRate {
  double ops_per_cycle = 0;  // per core
  std::string basis;         // how the figure is made, e.g. "2 FMA pipes x 512 bit: 16 lanes x 2 x 2"
  std::string source;        // where the pipe count and rate come from
  std::string confidence;    // read, derived, measured or unconfirmed (cpu-uarch.md section 0)
};

// The width peak kernels give an AMX tile instruction: one 16 x 64-byte tile (backends/cpu/peak_kernels.h).
constexpr int kAmxTileBits = 16 * 64 * 8;

// Which kind of vector instruction issues the arithmetic. In every 128-bit segment, Arm's SMMLA and
// BFMMLA multiply a 2 x 8 (int8) or 2 x 4 (bf16) block of one operand by the transpose of the other's
// into a 2 x 2 result: twice the multiplies of SDOT or BFDOT at the same width, issued on the same
// pipes (cpu-uarch.md 0 and 3.12-3.15).
enum class VectorOp { fma_or_dot, mmla };

// The rate of `dtype` arithmetic issued as `vector_bits`-wide FMA (fp64, fp32, fp16) or dot-product
// (bf16, int8) instructions on a core of `uarch_id`, as matrix multiply-accumulates (`op` mmla: bf16
// and int8 on cores that have them), or as AMX tile products when `vector_bits` is kAmxTileBits;
// nullopt when the table has no row for the core (or no such unit or instruction).
std::optional<PeakRate> peak_rate(std::string_view uarch_id, Dtype dtype, int vector_bits,
                                  VectorOp op = VectorOp::fma_or_dot);

// Ops per second of `cores` cores at `ghz`, and the formula that made it.
struct TheoreticalPeak {
  double ops_per_second = 0;
  std::string formula;  // "2 cores x 4.41 GHz x 64 FLOP/cycle = 564.5 GFLOP/s"
};
TheoreticalPeak theoretical_peak(const PeakRate& rate, int cores, double ghz, Dtype dtype);

}  // namespace specgap
