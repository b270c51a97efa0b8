#pragma once
// Sizing and placement decisions of the memory suite, from the probed machine.
#include <cstdint>
#include <string>
#include <vector>

#include "backends/device.h"
#include "probe/machine.h"

namespace specgap::suites {

inline constexpr uint64_t kMinDefaultArrayBytes = 1ull << 30;  // at least 1 GiB per array
inline constexpr uint64_t kDefaultDeviceSweepBytes = 512ull << 20;  // a GPU's sweep: past any L2 we know
// A GPU's latency: past any L2 we know, and a chase a software device (lavapipe) lays out in a second.
inline constexpr uint64_t kDefaultDeviceLatencyBytes = 256ull << 20;

// The CPUs for `threads` pinned threads: one per physical core first (cpu.core_pus), then the
// remaining logical CPUs this process may run on. Throws UsageError when `threads` is out of range.
std::vector<int> pick_cpus(const CpuInfo& cpu, int threads);

// The physical cores that `cpus` run on: SMT siblings of one core count once. A CPU the topology
// does not place (no hwloc) counts as a core of its own.
int physical_cores(const CpuInfo& cpu, const std::vector<int>& cpus);

// Default bytes per STREAM array: at least 4x the total last-level cache (STREAM's rule) and at
// least 1 GiB, so that even one array (read, write) is well past every cache.
uint64_t default_array_bytes(const Machine& m);

// Bytes per STREAM array on a device with memory of its own: `requested`, or by default 1 GiB
// within the device's largest buffer, so that three arrays take at most half its memory (and, where
// the device names its last-level cache, at least 4x that). Throws UsageError (naming `flag`) when
// a requested size breaks those limits.
uint64_t device_array_bytes(const backends::DeviceInfo& d, uint64_t requested, const std::string& flag);

// The largest working set of the sweep on a device with memory of its own: `requested`, or by default
// 512 MiB within the limits of device_array_bytes. The sweep's usual 4x the last-level cache is no
// default here: Vulkan does not name a GPU's. Throws UsageError (naming `flag`) as device_array_bytes.
uint64_t device_sweep_bytes(const backends::DeviceInfo& d, uint64_t requested, const std::string& flag);

// The largest working set of the pointer chase on a device with memory of its own: `requested`, or by
// default 256 MiB, within the device's largest buffer and a sixth of its memory (the chase is one
// buffer held to a STREAM array's limit). Throws UsageError (naming `flag`) for a requested size beyond.
uint64_t device_latency_bytes(const backends::DeviceInfo& d, uint64_t requested, const std::string& flag);

// Throws specgap::Error when `arrays` arrays of `bytes` would not fit in the memory available now.
void check_fits_in_memory(const Machine& m, uint64_t bytes, int arrays, const std::string& flag);

}  // namespace specgap::suites
