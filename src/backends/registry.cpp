#include "backends/registry.h"

#include <algorithm>

#include <fmt/format.h>

// backend_list.h is generated from SPECGAP_BACKENDS: one SPECGAP_BACKEND(name) line per backend
// folder built, each of which defines specgap::<name>::open_devices.
#define SPECGAP_BACKEND(name)                                                                       \
  namespace specgap::name {                                                                         \
  void open_devices(const Machine& m, backends::DeviceList& list);                                  \
  }
#include "backends/backend_list.h"
#undef SPECGAP_BACKEND

namespace specgap::backends {
namespace {
struct Backend {
  const char* name;
  void (*open)(const Machine&, DeviceList&);
};

constexpr Backend kBackends[] = {
#define SPECGAP_BACKEND(name) {#name, &specgap::name::open_devices},
#include "backends/backend_list.h"
#undef SPECGAP_BACKEND
};
}  // namespace

DeviceList open_devices(const Machine& m, const std::vector<std::string>& only) {
  DeviceList list;
  for (const auto& b : kBackends)
    if (only.empty() || std::find(only.begin(), only.end(), b.name) != only.end()) b.open(m, list);
  return list;
}

Device* find_device(const DeviceList& list, const std::string& id) {
  for (const auto& d : list.devices)
    if (d->info().id == id) return d.get();
  return nullptr;
}

nlohmann::json to_json(const DeviceInfo& d) {
  nlohmann::json j = {{"id", d.id},
                      {"backend", d.backend},
                      {"kind", d.kind},
                      {"name", d.name},
                      {"vendor", d.vendor},
                      {"driver", d.driver},
                      {"api", d.api},
                      {"pci_address", d.pci_address},
                      {"memory_bytes", d.memory_bytes},
                      {"max_buffer_bytes", d.max_buffer_bytes},
                      {"last_level_cache_bytes", d.last_level_cache_bytes},
                      {"compute_units", d.compute_units},
                      {"clock_mhz", d.clock_mhz},
                      {"unified_memory", d.unified_memory},
                      {"timer", d.timer}};
  if (!d.extra.empty()) j["extra"] = d.extra;
  return j;
}

const char* to_string(Transfer t) {
  switch (t) {
    case Transfer::h2d: return "h2d";
    case Transfer::d2h: return "d2h";
    case Transfer::d2d: return "d2d";
    case Transfer::bidir: return "bidir";
  }
  return "unknown";
}

}  // namespace specgap::backends
