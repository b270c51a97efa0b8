#pragma once
// --device: which devices a command measures. "cpu" (the default), a device id ("gpu0"), a list
// ("cpu,gpu0") or "all": every device that is real hardware. A software rasteriser (lavapipe) is
// measured only when named, and never in "all".
#include <functional>
#include <string>
#include <vector>

#include "backends/registry.h"
#include "core/sink.h"
#include "probe/machine.h"

namespace specgap::cli {

struct ChosenDevices {
  backends::DeviceList list;              // every device opened (owns them)
  std::vector<backends::Device*> chosen;  // the ones to measure, in the order asked
};

// Throws UsageError (one line) for an id no device has, naming the devices there are and why a
// backend found none.
ChosenDevices choose_devices(const Machine& m, const std::vector<std::string>& ids);

// Every device opened, as the machine record lists them (backends::to_json of each DeviceInfo).
nlohmann::json devices_json(const ChosenDevices& c);

// Runs `measure` on each device. A device that fails (lost, out of memory, a driver error) gets a
// result whose check says so, and the next device still runs: one device's fault never loses
// another's figures. Ctrl-C stops them all.
void for_each_device(const std::vector<backends::Device*>& devices, const std::string& suite, RunSink& sink,
                     const std::function<void(backends::Device&)>& measure);

}  // namespace specgap::cli
