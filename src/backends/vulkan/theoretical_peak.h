#pragma once
// A GPU's theoretical peak for a dtype's peak kernel: compute units x clock x the architecture's vector
// rate (probe/gpu_peak_rates.h), as Device::theoretical_peak returns it, or why there is none.
#include <nlohmann/json.hpp>

#include "backends/device.h"
#include "core/dtype.h"

namespace specgap::vulkan {

// {architecture, compute_unit, ops_per_cycle_per_compute_unit, basis, source, confidence, formula,
// value (T*/s)}; or {missing: why} ("clock unknown", "compute-unit count unknown", ...). The clock is
// `clock_ghz` when the kernels measured one, else the device record's.
nlohmann::json theoretical_peak_of(const backends::DeviceInfo& d, Dtype dtype, double clock_ghz);

}  // namespace specgap::vulkan
