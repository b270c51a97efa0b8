#pragma once
// The theoretical peak of an Arm machine per dtype: each kind of core's best instruction path (the
// ISA features it has, rated by the peak-rate table), summed over the kinds, each at its own clock.
// The x86 probe gives none: there `compute --peak` holds figures against the kernels it ran.
#include <optional>
#include <string>
#include <vector>

#include "core/dtype.h"
#include "probe/machine.h"
#include "probe/peak_rates.h"

namespace specgap {

struct KindPeak {
  const CoreKind* kind = nullptr;  // into the CpuInfo the peak was made from
  std::string instruction;         // "FMLA", "SMMLA", ...
  int vector_bits = 0;
  std::optional<PeakRate> rate;  // per core; nullopt when the table has no row for the core
};

struct MachinePeak {
  Dtype dtype = Dtype::fp32;
  std::vector<KindPeak> kinds;
  double ops_per_cycle = 0;              // sum over kinds of cores x rate; 0 when a kind has no rate
  std::optional<double> ops_per_second;  // sum of cores x clock x rate, when every clock is known
  std::string formula;  // "10 x Arm Cortex-X925 x 3.900 GHz x 48 FLOP/cycle + ... = 2320.0 GFLOP/s"
  std::string missing;  // why there is no figure; "" when there is one
};

// One entry per dtype that every kind has a path for (fp64, fp32, fp16, bf16, int8, in that order).
// Empty off Arm and under emulation (the figures there measure the emulator: no claim to hold them to).
std::vector<MachinePeak> machine_peaks(const CpuInfo& cpu);

}  // namespace specgap
