#pragma once
// What one compute unit of a GPU architecture (an NVIDIA SM, an AMD CU, an Intel Xe-core) computes per
// clock, per dtype and path: shared/reference/gpu.md sections 1.2-1.5 (NVIDIA) and vulkan.md section 4
// (AMD, Intel). A GPU's theoretical peak is compute units x clock x this rate. Counting as in
// peak_rates.h: an FMA is 2 ops, each multiply of a dot or matrix product 2 (multiply + add).
// Matrix rates are dense, with fp32 accumulate for fp16, bf16 and fp8 (the half rate on GeForce parts,
// gpu.md 1.4) and int32 accumulate for int8. A rate no source gives is absent, never guessed.
#include <optional>
#include <string>
#include <string_view>

#include "core/dtype.h"
#include "probe/peak_rates.h"

namespace specgap {

// Vector ALUs (for int8: packed 4 x 8-bit dot products), or matrix units (tensor cores, WMMA, XMX).
enum class GpuPath { vector, matrix };

struct GpuArchitecture {
  std::string_view id;    // "nvidia-ada-ad10x"
  std::string_view name;  // "NVIDIA Ada (AD10x, GeForce RTX 40)"
  std::string_view unit;  // one compute unit: "SM", "CU", "Xe-core"
};

// The architecture of a device by its vendor ("NVIDIA", "AMD", "Intel", as probe/vulkan.h names
// vendors) and device name; nullptr when no row matches (a software device never does).
const GpuArchitecture* gpu_architecture(std::string_view vendor, std::string_view device_name);

// Ops per clock per compute unit of `dtype` on `path` (PeakRate::ops_per_cycle), with its basis,
// source and confidence (read, derived, recalled, secondary, as gpu.md marks them); nullopt where no
// source gives the rate or the architecture has no such path.
std::optional<PeakRate> gpu_peak_rate(std::string_view arch_id, Dtype dtype, GpuPath path);

// Ops per second of `units` compute units at `mhz`, and the formula that made it:
// "128 SM x 2.520 GHz x 256 FLOP/clock/SM = 82.6 TFLOP/s".
TheoreticalPeak gpu_theoretical_peak(const PeakRate& rate, const GpuArchitecture& arch, int units, double mhz,
                                     Dtype dtype);

}  // namespace specgap
