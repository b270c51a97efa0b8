#pragma once
// Which catalog system each device of this machine is. The CPU is known by its model name and each GPU
// by its NVML name, each against the names the catalog gives for that kind of device, and only whole:
// "GeForce RTX 3090" is not a 3090 Ti, nor "H100 80GB HBM3" (SXM) an "H100 PCIe". A machine is never
// one system because one of its devices is: an RTX 4090 beside an unlisted CPU leaves the CPU unlisted.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "catalog/catalog.h"

namespace specgap::analysis {

struct DeviceRecognition {
  std::string device;  // as results name it: "cpu", "gpu0", "gpu1", ...
  std::string name;    // as the machine record gives it
  const catalog::System* system = nullptr;  // null: not in the catalog
  std::string how;     // why it is that system, for the reader
  // A GPU the device seam can measure (a Vulkan driver lists it), named as results name it; false for
  // one only NVML lists, which no suite can reach.
  bool measurable = true;
};

// The CPU first, then every GPU. An apu or soc recognised by its GPU (DGX Spark's GB10) is the CPU's
// system too when the CPU is not recognised by its own name: the two are one chip.
std::vector<DeviceRecognition> recognise_devices(const nlohmann::json& machine,
                                                 const std::vector<catalog::System>& catalog);

// Whether two device names name the same model: equal once case, spacing, trademark marks and a
// leading vendor name are set aside.
bool same_model(const std::string& a, const std::string& b);

nlohmann::json to_json(const std::vector<DeviceRecognition>& devices);

}  // namespace specgap::analysis
