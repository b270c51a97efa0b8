// Which of an Intel card's files mean what: the GT clock the hardware runs at, and on discrete cards
// (the only ones xe and i915 give a hwmon) temperatures and energy counts with their power limits
// (Documentation/ABI/testing/sysfs-driver-intel-xe-hwmon and -i915-hwmon). Neither driver has a busy
// share in sysfs (that needs the perf PMU), nor a memory clock.
#include <algorithm>

#include <fmt/format.h>

#include "telemetry/drm_gpu.h"
#include "telemetry/sysfs.h"

namespace specgap::telemetry {
namespace fs = std::filesystem;

GpuNodes intel_gpu_nodes(const fs::path& card, const std::string& gpu, const std::string& driver) {
  GpuNodes nodes;
  nodes.name = driver + " " + card.filename().string() + " as " + gpu;
  auto value = [&](const fs::path& file, const std::string& what, const char* unit, double scale) {
    if (!readable(file)) return false;
    nodes.values.push_back({gpu + "." + what, unit, file.string(), scale, std::nullopt});
    return true;
  };
  // The clock the GT runs at (act: what PCODE granted), not the one the driver asked for (cur).
  if (driver == "xe") {
    nodes.sought = fmt::format("no tile0/gt0/freq0/act_freq or hwmon in {}", (card / "device").string());
    value(card / "device/tile0/gt0/freq0/act_freq", "sm_clock", "mhz", 1);
  } else {
    nodes.sought = fmt::format("no gt/gt0/rps_act_freq_mhz, gt_act_freq_mhz or hwmon in {}", card.string());
    // gt_act_freq_mhz is the name from before GTs had folders of their own.
    if (!value(card / "gt/gt0/rps_act_freq_mhz", "sm_clock", "mhz", 1))
      value(card / "gt_act_freq_mhz", "sm_clock", "mhz", 1);
  }
  const auto mon = gpu_hwmon(card);
  if (!mon) return nodes;
  add_temperatures(nodes, *mon, gpu);
  // xe labels energy1 "card" and energy2 "pkg" (the GPU package, inside the card); i915 has one
  // count. The card's is the GPU's power_w; the package's is package_power_w, or power_w where it
  // is the only one.
  std::vector<std::pair<std::string, std::string>> counts;  // (N, label)
  for (auto& input : entries(*mon, "energy")) {
    const std::string file = input.filename().string();
    if (file.size() < 13 || file.compare(file.size() - 6, 6, "_input") != 0) continue;
    const std::string n = file.substr(6, file.size() - 12);
    counts.push_back({n, read_word((*mon / ("energy" + n + "_label")).string())});
  }
  const bool card_count = std::any_of(counts.begin(), counts.end(), [](auto& c) { return c.second != "pkg"; });
  for (auto& [n, label] : counts) {
    const std::string power = label == "pkg" && card_count ? "package_power" : "power";
    nodes.energies.push_back({gpu + "." + power, (*mon / ("energy" + n + "_input")).string()});
    // powerN_max is that domain's sustained limit (PL1).
    value(*mon / ("power" + n + "_max"), power + "_limit", "w", 1e-6);
  }
  return nodes;
}

}  // namespace specgap::telemetry
