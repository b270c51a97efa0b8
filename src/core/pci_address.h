#pragma once
// A PCI function's address in one spelling, "0000:3b:00.0" (domain:bus:device.function, lower-case
// hex), so that a GPU seen by Vulkan, NVML and /sys/class/drm can be known as the same GPU: each
// numbers its GPUs in its own order.
#include <cstdint>
#include <string>
#include <string_view>

namespace specgap {

std::string pci_address(uint32_t domain, uint32_t bus, uint32_t device, uint32_t function);
// From any common spelling: "00000000:3B:00.0" (NVML), "0000:3b:00.0" (sysfs), "3b:00.0" (domain 0).
// "" for text that is not one.
std::string pci_address(std::string_view text);

}  // namespace specgap
