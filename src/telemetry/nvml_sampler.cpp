// NVIDIA telemetry through NVML, loaded with dlopen (no NVML header is installed on build machines).
// Entry points, enum values and struct layouts follow nvml.h of the NVML API reference; only stable,
// versioned entry points are used, and a device that will not report a field just lacks that channel.
#include <dlfcn.h>

#include <fmt/format.h>

#include <cstring>

#include "core/pci_address.h"

#include "telemetry/sampler.h"

namespace specgap::telemetry {
namespace {

using nvmlReturn_t = int;
using nvmlDevice_t = struct nvmlDevice_st*;
constexpr nvmlReturn_t kOk = 0;
constexpr int kClockSm = 1, kClockMem = 2;    // nvmlClockType_t
constexpr int kTemperatureGpu = 0;            // nvmlTemperatureSensors_t
constexpr int kThresholdSlowdown = 1;         // nvmlTemperatureThresholds_t
struct nvmlUtilization_t {
  unsigned gpu, memory;  // percent
};
struct nvmlMemory_t {
  unsigned long long total, free, used;
};
struct nvmlPciInfo_t {  // the layout nvmlDeviceGetPciInfo_v3 fills
  char busIdLegacy[16];
  unsigned domain, bus, device, pciDeviceId, pciSubSystemId;
  char busId[32];
};

struct Api {
  nvmlReturn_t (*init)();
  nvmlReturn_t (*shutdown)();
  nvmlReturn_t (*count)(unsigned*);
  nvmlReturn_t (*handle)(unsigned, nvmlDevice_t*);
  nvmlReturn_t (*clock)(nvmlDevice_t, int, unsigned*);
  nvmlReturn_t (*temperature)(nvmlDevice_t, int, unsigned*);
  nvmlReturn_t (*threshold)(nvmlDevice_t, int, unsigned*);
  nvmlReturn_t (*power)(nvmlDevice_t, unsigned*);
  nvmlReturn_t (*power_limit)(nvmlDevice_t, unsigned*);
  // nvmlDeviceGetCurrentClocksEventReasons (NVML 12.2+), else the older ...ThrottleReasons: same bits.
  nvmlReturn_t (*reasons)(nvmlDevice_t, unsigned long long*);
  nvmlReturn_t (*utilization)(nvmlDevice_t, nvmlUtilization_t*);
  nvmlReturn_t (*memory)(nvmlDevice_t, nvmlMemory_t*);
  nvmlReturn_t (*pcie_gen)(nvmlDevice_t, unsigned*);
  nvmlReturn_t (*pcie_width)(nvmlDevice_t, unsigned*);
  nvmlReturn_t (*pci_info)(nvmlDevice_t, nvmlPciInfo_t*);
};

template <typename Fn>
void bind(void* lib, const char* symbol, Fn& fn) {
  fn = reinterpret_cast<Fn>(dlsym(lib, symbol));
}

class NvmlSampler : public Sampler {
 public:
  NvmlSampler(void* lib, Api api, std::vector<nvmlDevice_t> devices)
      : lib_(lib), api_(api), devices_(std::move(devices)) {}
  ~NvmlSampler() override {
    api_.shutdown();
    dlclose(lib_);
  }
  std::string name() const override { return "nvml"; }
  void read(Readings& out) override {
    for (size_t i = 0; i < devices_.size(); ++i) {
      nvmlDevice_t d = devices_[i];
      const std::string gpu = fmt::format("gpu{}.", i);
      unsigned v = 0;
      auto put = [&](auto fn, const char* channel, double scale, auto... args) {
        if (fn && fn(d, args..., &v) == kOk) out[gpu + channel] = v * scale;
      };
      put(api_.clock, "sm_clock_mhz", 1.0, kClockSm);
      put(api_.clock, "mem_clock_mhz", 1.0, kClockMem);
      put(api_.temperature, "temp_c", 1.0, kTemperatureGpu);
      put(api_.threshold, "temp_limit_c", 1.0, kThresholdSlowdown);
      put(api_.power, "power_w", 1e-3);
      put(api_.power_limit, "power_limit_w", 1e-3);
      put(api_.pcie_gen, "pcie_gen", 1.0);
      put(api_.pcie_width, "pcie_width", 1.0);
      unsigned long long mask = 0;
      if (api_.reasons && api_.reasons(d, &mask) == kOk) out[gpu + "clocks_event_mask"] = double(mask);
      nvmlUtilization_t util{};
      if (api_.utilization && api_.utilization(d, &util) == kOk) {
        out[gpu + "util_pct"] = util.gpu;
        out[gpu + "mem_util_pct"] = util.memory;
      }
      nvmlMemory_t mem{};
      if (api_.memory && api_.memory(d, &mem) == kOk) out[gpu + "mem_used_bytes"] = double(mem.used);
    }
  }

 private:
  void* lib_;
  Api api_;
  std::vector<nvmlDevice_t> devices_;
};

}  // namespace

SamplerSet nvml_samplers(const std::string& library) {
  SamplerSet set;
  void* lib = dlopen(library.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    set.unavailable.push_back(fmt::format("NVIDIA GPUs: no {}", library));
    return set;
  }
  Api api{};
  bind(lib, "nvmlInit_v2", api.init);
  bind(lib, "nvmlShutdown", api.shutdown);
  bind(lib, "nvmlDeviceGetCount_v2", api.count);
  bind(lib, "nvmlDeviceGetHandleByIndex_v2", api.handle);
  if (!api.init || !api.shutdown || !api.count || !api.handle) {
    dlclose(lib);
    set.unavailable.push_back(fmt::format("NVIDIA GPUs: {} lacks the NVML v2 entry points (driver too old?)", library));
    return set;
  }
  bind(lib, "nvmlDeviceGetClockInfo", api.clock);
  bind(lib, "nvmlDeviceGetTemperature", api.temperature);
  bind(lib, "nvmlDeviceGetTemperatureThreshold", api.threshold);
  bind(lib, "nvmlDeviceGetPowerUsage", api.power);
  bind(lib, "nvmlDeviceGetEnforcedPowerLimit", api.power_limit);
  bind(lib, "nvmlDeviceGetCurrentClocksEventReasons", api.reasons);
  if (!api.reasons) bind(lib, "nvmlDeviceGetCurrentClocksThrottleReasons", api.reasons);
  bind(lib, "nvmlDeviceGetUtilizationRates", api.utilization);
  bind(lib, "nvmlDeviceGetMemoryInfo", api.memory);
  bind(lib, "nvmlDeviceGetCurrPcieLinkGeneration", api.pcie_gen);
  bind(lib, "nvmlDeviceGetCurrPcieLinkWidth", api.pcie_width);
  bind(lib, "nvmlDeviceGetPciInfo_v3", api.pci_info);
  if (const nvmlReturn_t rc = api.init(); rc != kOk) {
    dlclose(lib);
    set.unavailable.push_back(fmt::format("NVIDIA GPUs: NVML init failed (error {})", rc));
    return set;
  }
  unsigned count = 0;
  std::vector<nvmlDevice_t> devices;
  if (api.count(&count) == kOk)
    for (unsigned i = 0; i < count; ++i) {
      nvmlDevice_t d = nullptr;
      if (api.handle(i, &d) == kOk) devices.push_back(d);
    }
  if (devices.empty()) {
    api.shutdown();
    dlclose(lib);
    set.unavailable.push_back(fmt::format("NVIDIA GPUs: {} loaded, but NVML found no GPU", library));
    return set;
  }
  set.gpus = int(devices.size());
  for (nvmlDevice_t d : devices) {
    nvmlPciInfo_t pci{};
    const bool known = api.pci_info && api.pci_info(d, &pci) == kOk;
    set.gpu_pci.push_back(known ? pci_address(std::string(pci.busId, strnlen(pci.busId, sizeof pci.busId))) : "");
  }
  set.samplers.push_back(std::make_unique<NvmlSampler>(lib, api, std::move(devices)));
  return set;
}

}  // namespace specgap::telemetry
