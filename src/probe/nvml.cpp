// list_nvidia_gpus: the few NVML calls specgap needs, declared here because no NVML header is
// installed on build machines without CUDA. Layouts and constants follow nvml.h (NVML API
// reference); only these stable, versioned entry points are used.
#include "probe/nvml.h"

#include <dlfcn.h>

#include <cstring>
#include <memory>

#include <fmt/format.h>

namespace specgap {
namespace {

using nvmlReturn_t = int;  // an enum in nvml.h; NVML_SUCCESS is 0
using nvmlDevice_t = struct nvmlDevice_st*;
constexpr nvmlReturn_t kNvmlSuccess = 0;

// Buffer sizes from nvml.h (NVML_DEVICE_NAME_V2_BUFFER_SIZE, NVML_DEVICE_UUID_V2_BUFFER_SIZE,
// NVML_SYSTEM_DRIVER_VERSION_BUFFER_SIZE).
constexpr unsigned kNameBuffer = 96, kUuidBuffer = 96, kDriverBuffer = 80;

struct nvmlMemory_t {
  unsigned long long total, free, used;  // bytes
};

// nvmlPciInfo_t as nvmlDeviceGetPciInfo_v3 fills it. NVML writes the whole struct, so every field
// is declared even though only busId is read.
struct nvmlPciInfo_t {
  char busIdLegacy[16];
  unsigned int domain, bus, device, pciDeviceId, pciSubSystemId;
  char busId[32];  // "00000000:3B:00.0"
};

struct Nvml {
  nvmlReturn_t (*init)();
  nvmlReturn_t (*shutdown)();
  nvmlReturn_t (*get_count)(unsigned*);
  nvmlReturn_t (*get_handle)(unsigned, nvmlDevice_t*);
  nvmlReturn_t (*get_name)(nvmlDevice_t, char*, unsigned);
  nvmlReturn_t (*get_uuid)(nvmlDevice_t, char*, unsigned);
  nvmlReturn_t (*get_memory)(nvmlDevice_t, nvmlMemory_t*);
  nvmlReturn_t (*get_pci)(nvmlDevice_t, nvmlPciInfo_t*);
  nvmlReturn_t (*driver_version)(char*, unsigned);
  const char* (*error_string)(nvmlReturn_t);  // optional
};

struct DlClose {
  void operator()(void* handle) const { dlclose(handle); }
};

// Resolves `symbol` into `fn`; false when the library lacks it.
template <typename Fn>
bool resolve(void* lib, const char* symbol, Fn& fn) {
  fn = reinterpret_cast<Fn>(dlsym(lib, symbol));
  return fn != nullptr;
}

std::string error_text(const Nvml& nvml, nvmlReturn_t rc) {
  const char* text = nvml.error_string ? nvml.error_string(rc) : nullptr;
  return text ? fmt::format("NVML error {} ({})", rc, text) : fmt::format("NVML error {}", rc);
}

GpuInfo read_gpu(const Nvml& nvml, unsigned index, nvmlDevice_t dev) {
  GpuInfo g;
  g.index = int(index);
  // A field a device will not report (e.g. PCI info inside some containers) stays empty; the rest
  // of the device is still worth listing.
  char name[kNameBuffer] = {};
  if (nvml.get_name(dev, name, kNameBuffer) == kNvmlSuccess) g.name = name;
  char uuid[kUuidBuffer] = {};
  if (nvml.get_uuid(dev, uuid, kUuidBuffer) == kNvmlSuccess) g.uuid = uuid;
  nvmlMemory_t memory{};
  if (nvml.get_memory(dev, &memory) == kNvmlSuccess) g.memory_bytes = memory.total;
  nvmlPciInfo_t pci{};
  if (nvml.get_pci(dev, &pci) == kNvmlSuccess)
    g.pci_bus_id = std::string(pci.busId, strnlen(pci.busId, sizeof pci.busId));
  return g;
}

}  // namespace

GpuList list_nvidia_gpus(const std::string& library) {
  GpuList out;
  std::unique_ptr<void, DlClose> lib(dlopen(library.c_str(), RTLD_NOW | RTLD_LOCAL));
  if (!lib) {
    out.note = fmt::format("no NVIDIA driver ({} not found)", library);
    return out;
  }
  Nvml nvml{};
  const char* missing = nullptr;  // the first required entry point the library lacks
  const auto require = [&](const char* symbol, auto& fn) {
    if (!missing && !resolve(lib.get(), symbol, fn)) missing = symbol;
  };
  require("nvmlInit_v2", nvml.init);
  require("nvmlShutdown", nvml.shutdown);
  require("nvmlDeviceGetCount_v2", nvml.get_count);
  require("nvmlDeviceGetHandleByIndex_v2", nvml.get_handle);
  require("nvmlDeviceGetName", nvml.get_name);
  require("nvmlDeviceGetUUID", nvml.get_uuid);
  require("nvmlDeviceGetMemoryInfo", nvml.get_memory);
  require("nvmlDeviceGetPciInfo_v3", nvml.get_pci);
  require("nvmlSystemGetDriverVersion", nvml.driver_version);
  if (missing) {
    out.note = fmt::format("{} lacks {} (driver too old?)", library, missing);
    return out;
  }
  resolve(lib.get(), "nvmlErrorString", nvml.error_string);

  if (const nvmlReturn_t rc = nvml.init(); rc != kNvmlSuccess) {
    out.note = fmt::format("NVML init failed: {}", error_text(nvml, rc));
    return out;
  }
  char driver[kDriverBuffer] = {};
  if (nvml.driver_version(driver, kDriverBuffer) != kNvmlSuccess) driver[0] = '\0';
  unsigned count = 0;
  if (const nvmlReturn_t rc = nvml.get_count(&count); rc != kNvmlSuccess) {
    out.note = fmt::format("NVML could not count GPUs: {}", error_text(nvml, rc));
  }
  for (unsigned i = 0; i < count; ++i) {
    nvmlDevice_t dev = nullptr;
    if (const nvmlReturn_t rc = nvml.get_handle(i, &dev); rc != kNvmlSuccess) {
      // One broken GPU (fallen off the bus, say) must not hide the others.
      out.note = fmt::format("GPU {} not readable: {}", i, error_text(nvml, rc));
      continue;
    }
    GpuInfo g = read_gpu(nvml, i, dev);
    g.driver = driver;
    out.gpus.push_back(std::move(g));
  }
  if (out.gpus.empty() && out.note.empty()) out.note = "NVML found no NVIDIA GPU";
  nvml.shutdown();
  return out;
}

}  // namespace specgap
