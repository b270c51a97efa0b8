// AMD and Intel GPUs found through /sys/class/drm: every cardN (not its connectors, cardN-DP-1),
// its PCI vendor and its driver, and one sampler per GPU whose driver specgap reads.
#include <algorithm>
#include <cctype>
#include <sstream>

#include <fmt/format.h>

#include "core/clock.h"
#include "core/pci_address.h"
#include "telemetry/drm_gpu.h"
#include "telemetry/sysfs.h"

namespace specgap::telemetry {
namespace fs = std::filesystem;
namespace {

// The value of KEY= in the device's uevent, "" without one.
std::string uevent_value(const fs::path& uevent, const std::string& key) {
  std::istringstream lines(read_small(uevent.string()).value_or(""));
  for (std::string line; std::getline(lines, line);)
    if (line.rfind(key + "=", 0) == 0) return line.substr(key.size() + 1);
  return "";
}

// DRIVER=: the driver bound to the device, whichever modules are loaded.
std::string bound_driver(const fs::path& uevent) { return uevent_value(uevent, "DRIVER"); }

// PCI_SLOT_NAME=: the device's PCI address, as Vulkan's VK_EXT_pci_bus_info tells it too.
std::string pci_slot(const fs::path& uevent) { return pci_address(uevent_value(uevent, "PCI_SLOT_NAME")); }

// Channel stem for a GPU temperature, by the driver's label; an unlabelled temp1 is the GPU's own
// (amdgpu before Linux 5.4 has only temp1, without a label).
std::string temperature_stem(const std::string& label, const std::string& input_stem) {
  if (label == "edge" || label == "pkg" || (label.empty() && input_stem == "temp1")) return "temp";
  if (label == "junction") return "junction_temp";
  if (label == "mem" || label == "vram") return "mem_temp";
  return channel_part(label.empty() ? input_stem : label + "_temp");
}

}  // namespace

std::optional<fs::path> gpu_hwmon(const fs::path& card) {
  const auto mons = entries(card / "device/hwmon", "hwmon");
  if (mons.empty()) return std::nullopt;
  return mons.front();
}

void add_temperatures(GpuNodes& nodes, const fs::path& hwmon, const std::string& gpu) {
  for (auto& input : entries(hwmon, "temp")) {
    const std::string file = input.filename().string();
    if (file.size() < 7 || file.compare(file.size() - 6, 6, "_input") != 0) continue;
    const std::string stem = file.substr(0, file.size() - 6);  // temp2
    ValueNode n{gpu + "." + temperature_stem(read_word((hwmon / (stem + "_label")).string()), stem), "c",
                input.string(), 1e-3, std::nullopt};
    if (auto crit = read_number((hwmon / (stem + "_crit")).string()); crit && *crit > 0) n.limit = *crit / 1000;
    nodes.values.push_back(std::move(n));
  }
}

SamplerSet drm_samplers(const std::string& root, int first_gpu, const std::function<int64_t()>& now_ns) {
  SamplerSet set;
  const fs::path dir = fs::path(root) / "sys/class/drm";
  // Numbered in card order: card2 before card10, where a name's order would put it after.
  std::vector<std::pair<long, fs::path>> cards;
  for (auto& card : entries(dir, "card")) {
    const std::string number = card.filename().string().substr(4);
    if (!number.empty() && number.size() < 9 && std::all_of(number.begin(), number.end(), ::isdigit))
      cards.push_back({std::stol(number), card});
  }
  std::sort(cards.begin(), cards.end());
  for (auto& [number, card] : cards) {
    const std::string vendor = read_word((card / "device/vendor").string());
    const std::string driver = bound_driver(card / "device/uevent");
    const std::string gpu = "gpu" + std::to_string(first_gpu + set.gpus);
    GpuNodes nodes;
    if (vendor == "0x1002" && driver == "amdgpu") nodes = amdgpu_nodes(card, gpu);
    else if (vendor == "0x8086" && (driver == "xe" || driver == "i915")) nodes = intel_gpu_nodes(card, gpu, driver);
    // No PCI vendor: not a GPU but a display (simpledrm, an SoC's display controller). NVIDIA's
    // cards are NVML's.
    else if (vendor.empty() || vendor == "0x10de") continue;
    else {
      set.unavailable.push_back(fmt::format("GPU {}: vendor {}, driver {}: specgap reads amdgpu, xe and i915 only",
                                            card.filename().string(), vendor, driver.empty() ? "none" : driver));
      continue;
    }
    if (nodes.empty())
      set.unavailable.push_back(fmt::format("GPU {} ({}): {}", card.filename().string(), driver, nodes.sought));
    else {
      set.samplers.push_back(gpu_sampler(std::move(nodes), now_ns));
      set.gpu_pci.push_back(pci_slot(card / "device/uevent"));
      ++set.gpus;
    }
  }
  if (set.samplers.empty() && set.unavailable.empty())
    set.unavailable.push_back(fmt::format("AMD and Intel GPUs: no amdgpu, xe or i915 card in {}", dir.string()));
  return set;
}

SamplerSet drm_samplers(const std::string& root, int first_gpu) { return drm_samplers(root, first_gpu, monotonic_ns); }

}  // namespace specgap::telemetry
