// Which of an amdgpu card's files mean what (the kernel's amdgpu documentation, "GPU Power/Thermal
// Controls and Monitoring"): busy shares on the device, clocks, temperatures and power in its hwmon.
#include <fmt/format.h>

#include "telemetry/drm_gpu.h"
#include "telemetry/sysfs.h"

namespace specgap::telemetry {
namespace fs = std::filesystem;

GpuNodes amdgpu_nodes(const fs::path& card, const std::string& gpu) {
  const fs::path device = card / "device";
  const auto mon = gpu_hwmon(card);
  // The driver shows in1 (vddnb, the northbridge rail) on APUs only. An APU's power is the whole
  // chip's, CPU cores included: soc_power_w, which analysis counts in place of the CPU package.
  const bool apu = mon && readable(*mon / "in1_input");
  GpuNodes nodes;
  nodes.name = "amdgpu " + card.filename().string() + " as " + gpu;
  if (apu) nodes.name += " (APU: soc_power_w is the whole chip, CPU included)";
  nodes.sought = fmt::format("no gpu_busy_percent, pp_dpm_sclk or hwmon in {}", device.string());
  auto value = [&](const fs::path& file, const std::string& what, const char* unit, double scale) {
    if (!readable(file)) return false;
    nodes.values.push_back({gpu + "." + what, unit, file.string(), scale, std::nullopt});
    return true;
  };
  value(device / "gpu_busy_percent", "util", "pct", 1);
  value(device / "mem_busy_percent", "mem_util", "pct", 1);
  // hwmon's freq1 (gfx) and freq2 (memory) are the current clocks in Hz; kernels without them still
  // mark the current DPM level.
  const std::pair<const char*, const char*> clocks[] = {{"sm_clock", "pp_dpm_sclk"}, {"mem_clock", "pp_dpm_mclk"}};
  for (int i = 0; i < 2; ++i) {
    const auto [what, table] = clocks[i];
    if (mon && value(*mon / fmt::format("freq{}_input", i + 1), what, "mhz", 1e-6)) continue;
    if (readable(device / table)) nodes.levels.push_back({gpu + "." + what + "_mhz", (device / table).string()});
  }
  if (mon) {
    add_temperatures(nodes, *mon, gpu);
    const std::string power = apu ? "soc_power" : "power";
    // power1_average, the SMU's average, where the kernel has it; newer kernels give power1_input.
    if (!value(*mon / "power1_average", power, "w", 1e-6)) value(*mon / "power1_input", power, "w", 1e-6);
    value(*mon / "power1_cap", power + "_limit", "w", 1e-6);
  }
  return nodes;
}

}  // namespace specgap::telemetry
