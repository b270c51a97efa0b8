#pragma once
// Every device of every backend compiled in, opened once per run. Which backends exist is decided
// at build time (each backend folder's CMakeLists appends itself to SPECGAP_BACKENDS); which devices
// exist, at run time.
#include <string>
#include <vector>

#include "backends/device.h"
#include "probe/machine.h"

namespace specgap::backends {

struct DeviceList {
  Devices devices;                  // "cpu" first, then gpu0, gpu1, ... in the backends' order
  std::vector<std::string> notes;   // one line per backend that found nothing, and why
};

// Opens the CPU and every device the other backends find. Never throws for a missing driver: that is
// a note. `only`, when not empty, opens just the backends named there (e.g. {"cpu"}).
DeviceList open_devices(const Machine& m, const std::vector<std::string>& only = {});

// The device `id` names ("cpu", "gpu0", ...), or nullptr.
Device* find_device(const DeviceList& list, const std::string& id);

}  // namespace specgap::backends
