#pragma once
// A telemetry source behind one small interface: each read() appends its channels' current values
// (see core/telemetry.h for channel names and units). Sources a machine lacks are not samplers with
// zeros: they are named once, with the path or library that was missing.
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace specgap::telemetry {

using Readings = std::map<std::string, double>;

class Sampler {
 public:
  virtual ~Sampler() = default;
  virtual std::string name() const = 0;  // "cpufreq", "hwmon", "nvml", ...
  // Appends this instant's readings. Never throws: a node that vanished is skipped this time.
  virtual void read(Readings& out) = 0;
};

struct SamplerSet {
  std::vector<std::unique_ptr<Sampler>> samplers;
  std::vector<std::string> unavailable;  // "temperatures: no /sys/class/hwmon/*/temp*_input"
  // GPUs whose channels these samplers name gpu0.. gpu<gpus - 1>: another GPU source numbers its own
  // after them, so that no two GPUs share a channel.
  int gpus = 0;
  // Their PCI addresses (core/pci_address.h), gpu_pci[i] for the set's i-th GPU; "" where unknown.
  std::vector<std::string> gpu_pci;

  void add(SamplerSet&& other);
  std::vector<std::string> names() const;
};

// The Linux sources under `root` ("/" on a live machine, a fixture tree in tests): cpufreq per core,
// hwmon temperatures, thermal zones, RAPL energy through powercap, /proc/stat utilisation and
// /proc/meminfo memory in use.
SamplerSet linux_samplers(const std::string& root = "/");

// Busy core clocks from APERF/MPERF in /dev/cpu/*/msr under `root` (x86-64, the msr module, root).
SamplerSet msr_samplers(const std::string& root = "/");

// NVIDIA GPUs through NVML loaded with dlopen from `library`: SM and memory clocks, temperature,
// power draw and limit, throttle reasons, utilisation, memory used, PCIe link, for every GPU.
SamplerSet nvml_samplers(const std::string& library);

// AMD (amdgpu) and Intel (xe, i915) GPUs through /sys/class/drm/card* under `root`, one sampler per
// GPU: busy shares, shader and memory clocks, temperatures with their limits, power and its cap, in
// channels named as NVML's, "gpuN." with N counted in card order from `first_gpu` (an APU's power is
// soc_power_w: CPU included).
SamplerSet drm_samplers(const std::string& root = "/", int first_gpu = 0);

// Every source of this machine: Linux under "/", APERF/MPERF, NVML from $SPECGAP_NVML or
// libnvidia-ml.so.1, and the AMD and Intel GPUs under "/", numbered after NVML's.
SamplerSet machine_samplers();

}  // namespace specgap::telemetry
