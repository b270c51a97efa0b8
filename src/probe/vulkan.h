#pragma once
// The devices a Vulkan loader lists, loaded at run time (dlopen) so that specgap builds and runs
// where no loader or driver exists. This is discovery only: no Vulkan suite measures them yet.
#include <string>
#include <vector>

#include "probe/machine.h"

namespace specgap {

struct VulkanList {
  std::vector<VulkanDeviceInfo> devices;
  std::string note;  // one line when the list is empty; "" when the loader answered
};

// Opens `library` with dlopen, creates an instance and describes each physical device. Never
// throws: a missing loader, a missing symbol, a failed instance or no device come back as an empty
// list with the reason in `note`. A build without the Vulkan headers says that instead.
VulkanList list_vulkan_devices(const std::string& library = "libvulkan.so.1");

// A PCI vendor id as a name ("NVIDIA", "AMD", "Intel", ...); "unknown (0x1234)" otherwise.
std::string vulkan_vendor_name(uint32_t vendor_id);

}  // namespace specgap
