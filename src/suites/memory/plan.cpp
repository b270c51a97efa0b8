#include "suites/memory/plan.h"

#include <sched.h>

#include <algorithm>

#include <fmt/format.h>

#include "core/error.h"
#include "core/units.h"

namespace specgap::suites {
namespace {
// Keeps a margin for the OS and for us: the page cache can give memory back, other processes cannot.
constexpr double kUsableFraction = 0.85;

std::vector<int> allowed_cpus() {
  std::vector<int> out;
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) != 0) return out;
  for (int i = 0; i < CPU_SETSIZE; ++i)
    if (CPU_ISSET(i, &set)) out.push_back(i);
  return out;
}

// An array on a device: within its largest buffer, and three of them in half its memory.
uint64_t most_array_bytes(const backends::DeviceInfo& d) {
  return std::min(d.max_buffer_bytes ? d.max_buffer_bytes : UINT64_MAX, d.memory_bytes ? d.memory_bytes / 6 : UINT64_MAX);
}
}  // namespace

std::vector<int> pick_cpus(const CpuInfo& cpu, int threads) {
  const auto allowed = allowed_cpus();
  auto is_allowed = [&](int c) { return allowed.empty() || std::find(allowed.begin(), allowed.end(), c) != allowed.end(); };
  std::vector<int> order;
  for (int c : cpu.core_pus)
    if (is_allowed(c)) order.push_back(c);
  for (int c : allowed)
    if (std::find(order.begin(), order.end(), c) == order.end()) order.push_back(c);
  if (order.empty()) order.push_back(0);
  if (threads < 1 || size_t(threads) > order.size())
    throw UsageError(fmt::format("--threads {}: must be between 1 and {} (the logical CPUs this process may use)",
                                 threads, order.size()));
  order.resize(size_t(threads));
  return order;
}

int physical_cores(const CpuInfo& cpu, const std::vector<int>& cpus) {
  std::vector<int> cores;  // a core's index, or -1 - cpu for a CPU with no known core
  for (int c : cpus) {
    const bool placed = c >= 0 && size_t(c) < cpu.pu_core.size() && cpu.pu_core[size_t(c)] >= 0;
    cores.push_back(placed ? cpu.pu_core[size_t(c)] : -1 - c);
  }
  std::sort(cores.begin(), cores.end());
  return int(std::unique(cores.begin(), cores.end()) - cores.begin());
}

uint64_t default_array_bytes(const Machine& m) {
  const uint64_t llc = last_level_cache_bytes(m.cpu);
  uint64_t bytes = std::max<uint64_t>(kMinDefaultArrayBytes, 4 * llc);
  return (bytes + MiB - 1) / MiB * MiB;
}

uint64_t device_array_bytes(const backends::DeviceInfo& d, uint64_t requested, const std::string& flag) {
  const uint64_t most = most_array_bytes(d);
  const uint64_t bytes = requested ? requested : std::min<uint64_t>(kMinDefaultArrayBytes, most);
  if (bytes > most)
    throw UsageError(fmt::format("{} {}: {} takes at most {} per array (its largest buffer, and three arrays in "
                                 "half its memory)", flag, format_bytes(bytes), d.id, format_bytes(most)));
  if (!requested && d.last_level_cache_bytes && bytes < 4 * d.last_level_cache_bytes)
    throw UsageError(fmt::format("{}: its buffers ({}) are under 4x its last-level cache ({}): no DRAM figure is "
                                 "possible; give {} to measure anyway", d.id, format_bytes(bytes),
                                 format_bytes(d.last_level_cache_bytes), flag));
  return std::max<uint64_t>(bytes / 4096 * 4096, 4096);
}

uint64_t device_sweep_bytes(const backends::DeviceInfo& d, uint64_t requested, const std::string& flag) {
  if (requested) return device_array_bytes(d, requested, flag);
  return device_array_bytes(d, std::min(kDefaultDeviceSweepBytes, most_array_bytes(d)), flag);
}

uint64_t device_latency_bytes(const backends::DeviceInfo& d, uint64_t requested, const std::string& flag) {
  const uint64_t most = most_array_bytes(d);
  if (requested > most)
    throw UsageError(fmt::format("{} {}: {} chases at most {} (its largest buffer, within a sixth of its memory)", flag,
                                 format_bytes(requested), d.id, format_bytes(most)));
  return requested ? requested : std::min(kDefaultDeviceLatencyBytes, most);
}

void check_fits_in_memory(const Machine& m, uint64_t bytes, int arrays, const std::string& flag) {
  const uint64_t need = bytes * uint64_t(arrays);
  const uint64_t have = m.memory.available_bytes;
  if (have == 0) return;  // unknown: let the allocation speak
  if (double(need) > kUsableFraction * double(have))
    throw Error(fmt::format("{}: {} x {} = {} does not fit in the {} of memory available now; choose a smaller {}",
                            flag, arrays, format_bytes(bytes), format_bytes(need), format_bytes(have), flag),
                kExitUsage);
}

}  // namespace specgap::suites
