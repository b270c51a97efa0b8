#pragma once
// A device's theoretical peak for a dtype's peak kernel (compute units x clock x the architecture's
// vector rate, probe/gpu_peak_rates.h), as the peak result's params show it, or why there is none.
#include <string>

#include <nlohmann/json.hpp>

#include "backends/device.h"
#include "core/dtype.h"

namespace specgap::suites {

struct DevicePeakTheory {
  // {architecture, compute_unit, ops_per_cycle_per_compute_unit, basis, source, confidence, formula,
  // value (in the result's unit, T*/s), fraction (of value the measurement reached, or null)}, or null.
  nlohmann::json peak = nullptr;
  std::string missing;  // when peak is null: "clock unknown", "compute-unit count unknown", ...
};

// `measured` is the result's value in T*/s (NaN when the dtype was unsupported or failed).
DevicePeakTheory device_peak_theory(const backends::DeviceInfo& d, Dtype dtype, double measured);

}  // namespace specgap::suites
