#pragma once
// An AMD or Intel GPU as the sysfs files its driver exposes, read by one sampler: drm_samplers finds
// the cards, each driver's *_nodes function says which of the card's files mean what, and gpu_sampler
// reads them each tick. Channels are "gpuN.<what>_<unit>", named as NVML's are (core/telemetry.h) so
// that analysis reads every GPU alike.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "telemetry/sampler.h"

namespace specgap::telemetry {

// A file holding a number: the reading is number x scale, in channel `stem`_`unit`; a fixed `limit`
// (a temperature's crit) goes beside it as `stem`_limit_`unit` whenever the reading does.
struct ValueNode {
  std::string stem, unit, path;
  double scale = 1;
  std::optional<double> limit;
};

// An amdgpu DPM table (pp_dpm_sclk, pp_dpm_mclk): one "1: 1800Mhz *" line per level, the current one
// marked '*'. Its clock in MHz goes to `channel`.
struct LevelNode {
  std::string channel, path;
};

// An energy count in microjoules, as the mean watts since the read before in `stem`_w.
struct EnergyNode {
  std::string stem, path;
};

struct GpuNodes {
  std::string name;    // the sampler's name: "amdgpu card1 as gpu0", with a note where a channel needs one
  std::string sought;  // what the driver's files would be, for the line naming a GPU that has none
  std::vector<ValueNode> values;
  std::vector<LevelNode> levels;
  std::vector<EnergyNode> energies;
  bool empty() const { return values.empty() && levels.empty() && energies.empty(); }
};

// The card's hwmon folder (cardN/device/hwmon/hwmonX), where the driver registered one.
std::optional<std::filesystem::path> gpu_hwmon(const std::filesystem::path& card);

// The temperatures in a GPU's hwmon folder, each with its crit as limit, named by the driver's
// label: edge (amdgpu) and pkg (xe) are the GPU's own "temp", as NVML's; junction (amdgpu's hotspot)
// "junction_temp"; mem (amdgpu) and vram (xe) "mem_temp".
void add_temperatures(GpuNodes& nodes, const std::filesystem::path& hwmon, const std::string& gpu);

// `card` is /sys/class/drm/cardN, `gpu` the channel prefix ("gpu1").
GpuNodes amdgpu_nodes(const std::filesystem::path& card, const std::string& gpu);
// `driver` is "xe" or "i915".
GpuNodes intel_gpu_nodes(const std::filesystem::path& card, const std::string& gpu, const std::string& driver);

// Reads the nodes; energy counts are timed by `now_ns` (monotonic_ns on a live machine).
std::unique_ptr<Sampler> gpu_sampler(GpuNodes nodes, std::function<int64_t()> now_ns);

// drm_samplers with the clock its energy counts are timed by, so that tests can step it exactly.
SamplerSet drm_samplers(const std::string& root, int first_gpu, const std::function<int64_t()>& now_ns);

}  // namespace specgap::telemetry
