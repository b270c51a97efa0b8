#pragma once
// A GPU's shader clock while its own kernels ran, from the run's telemetry (NVML's SM clock,
// amdgpu's or Intel's current shader clock): what a GPU's theoretical peak is computed at, since
// Vulkan tells no clock. Not a rated or boost clock: the one delivered during the timed repetitions.
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/telemetry.h"

namespace specgap::harness {

struct ObservedClock {
  double median_mhz = 0, min_mhz = 0, max_mhz = 0;
  int ticks = 0;
  std::string channel;  // "gpu1.sm_clock_mhz"
};

// The clock of the GPU at `pci_address` over the ticks that fell inside `spans`, or why there is none
// (no telemetry, no GPU of that address among its sources, no tick inside the spans).
struct GpuClock {
  std::optional<ObservedClock> clock;
  std::string missing;
};
GpuClock gpu_clock_during(const TelemetryFeed* feed, const std::string& pci_address,
                          const std::vector<TimedSpan>& spans);

}  // namespace specgap::harness
