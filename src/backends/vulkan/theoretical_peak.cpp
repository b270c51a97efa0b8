#include "backends/vulkan/theoretical_peak.h"

#include <fmt/format.h>

#include "probe/gpu_peak_rates.h"

namespace specgap::vulkan {

nlohmann::json theoretical_peak_of(const backends::DeviceInfo& d, Dtype dtype, double clock_ghz) {
  const auto missing = [](std::string why) { return nlohmann::json{{"missing", std::move(why)}}; };
  // A software device's figures are the host CPU's, and a CPU's peak is the CPU suite's to state.
  if (d.kind == "software") return missing("a software device has no GPU architecture");
  const GpuArchitecture* arch = gpu_architecture(d.vendor, d.name);
  if (!arch) return missing(fmt::format("architecture not in the table ({} {})", d.vendor, d.name));
  // The peak kernels run on the vector ALUs (int8 as packed dot products), never the matrix units.
  const auto rate = gpu_peak_rate(arch->id, dtype, GpuPath::vector);
  if (!rate) return missing(fmt::format("no sourced {} vector rate for {}", to_string(dtype), arch->name));
  if (d.compute_units <= 0) return missing("compute-unit count unknown");
  // Vulkan has no clock query; a clock comes only from a source the device record names.
  const double mhz = clock_ghz > 0 ? clock_ghz * 1000 : d.clock_mhz;
  if (mhz <= 0) return missing("clock unknown");
  const TheoreticalPeak peak = gpu_theoretical_peak(*rate, *arch, d.compute_units, mhz, dtype);
  const double value = peak.ops_per_second / 1e12;
  return {{"architecture", std::string(arch->name)},
          {"compute_unit", std::string(arch->unit)},
          {"ops_per_cycle_per_compute_unit", rate->ops_per_cycle},
          {"basis", rate->basis},
          {"source", rate->source},
          {"confidence", rate->confidence},
          {"formula", peak.formula},
          {"value", value}};
}

}  // namespace specgap::vulkan
