#include "harness/gpu_clock.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/stats.h"

namespace specgap::harness {

GpuClock gpu_clock_during(const TelemetryFeed* feed, const std::string& pci_address,
                          const std::vector<TimedSpan>& spans) {
  if (!feed) return {std::nullopt, "clock unknown: telemetry was off"};
  if (pci_address.empty()) return {std::nullopt, "clock unknown: the device tells no PCI address to find its telemetry by"};
  const auto& pci = feed->info().gpu_pci;
  const auto at = std::find(pci.begin(), pci.end(), pci_address);
  if (at == pci.end())
    return {std::nullopt, fmt::format("clock unknown: no telemetry source reads the GPU at {}", pci_address)};
  const std::string channel = fmt::format("gpu{}.sm_clock_mhz", at - pci.begin());
  std::vector<double> mhz;
  for (const TimedSpan& s : spans) {
    const double from = feed->at(s.begin_ns), to = feed->at(s.end_ns);
    for (const TelemetryTick& t : feed->between(from, to)) {
      const auto r = t.readings.find(channel);
      if (r != t.readings.end() && r->second > 0) mhz.push_back(r->second);
    }
  }
  if (mhz.empty())
    return {std::nullopt, fmt::format("clock unknown: no {} tick fell inside the timed repetitions", channel)};
  return {ObservedClock{median(mhz), *std::min_element(mhz.begin(), mhz.end()),
                        *std::max_element(mhz.begin(), mhz.end()), int(mhz.size()), channel},
          ""};
}

}  // namespace specgap::harness
