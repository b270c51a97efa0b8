#include "suites/compute/device_peak_theory.h"

#include <fmt/format.h>

#include <cmath>

#include "probe/gpu_peak_rates.h"

namespace specgap::suites {

DevicePeakTheory device_peak_theory(const backends::DeviceInfo& d, Dtype dtype, double measured) {
  DevicePeakTheory t;
  // A software device's figures are the host CPU's, and a CPU's peak is the CPU suite's to state.
  if (d.kind == "software") {
    t.missing = "a software device has no GPU architecture";
    return t;
  }
  const GpuArchitecture* arch = gpu_architecture(d.vendor, d.name);
  if (!arch) {
    t.missing = fmt::format("architecture not in the table ({} {})", d.vendor, d.name);
    return t;
  }
  // The peak kernels run on the vector ALUs (int8 as packed dot products), never the matrix units.
  const auto rate = gpu_peak_rate(arch->id, dtype, GpuPath::vector);
  if (!rate) {
    t.missing = fmt::format("no sourced {} vector rate for {}", to_string(dtype), arch->name);
    return t;
  }
  if (d.compute_units <= 0) {
    t.missing = "compute-unit count unknown";
    return t;
  }
  // Vulkan has no clock query; a clock comes only from a source the device record names.
  if (d.clock_mhz <= 0) {
    t.missing = "clock unknown";
    return t;
  }
  const TheoreticalPeak peak = gpu_theoretical_peak(*rate, *arch, d.compute_units, d.clock_mhz, dtype);
  const double value = peak.ops_per_second / 1e12;
  t.peak = {{"architecture", std::string(arch->name)},
            {"compute_unit", std::string(arch->unit)},
            {"ops_per_cycle_per_compute_unit", rate->ops_per_cycle},
            {"basis", rate->basis},
            {"source", rate->source},
            {"confidence", rate->confidence},
            {"formula", peak.formula},
            {"value", value},
            {"fraction", std::isfinite(measured) ? nlohmann::json(measured / value) : nlohmann::json(nullptr)}};
  return t;
}

}  // namespace specgap::suites
