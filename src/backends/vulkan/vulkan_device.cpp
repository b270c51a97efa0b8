#include "backends/vulkan/vulkan_device.h"

#include "backends/vulkan/theoretical_peak.h"

#include <fmt/format.h>

#include <cstdlib>
#include <vector>

#include "backends/vulkan/describe.h"
#include "backends/vulkan/gemm.h"
#include "backends/vulkan/latency.h"
#include "backends/vulkan/peak.h"
#include "backends/vulkan/stream_arrays.h"
#include "backends/vulkan/transfers.h"
#include "core/error.h"

namespace specgap::vulkan {

VulkanDevice::VulkanDevice(std::shared_ptr<Context> ctx) : ctx_(std::move(ctx)), info_(describe_device(*ctx_)) {}

std::unique_ptr<backends::StreamArrays> VulkanDevice::stream_arrays(const backends::StreamRequest& r) {
  return make_stream_arrays(ctx_, info_.memory_bytes, r);
}

backends::Offer VulkanDevice::transfers(backends::Transfer t, uint64_t bytes) {
  return make_transfers(ctx_, t, bytes);
}

backends::Offer VulkanDevice::peak(const backends::PeakRequest& r) { return make_peak(ctx_, r); }

backends::Offer VulkanDevice::gemm(const backends::GemmRequest& r) { return make_gemm(ctx_, r); }

backends::Offer VulkanDevice::latency(const backends::LatencyRequest& r) {
  return make_latency(ctx_, info_.memory_bytes, r);
}

void open_devices_with(const std::string& library, backends::DeviceList& list) {
  auto instance = std::make_shared<const Instance>(library);
  if (!instance->handle()) {
    list.notes.push_back("vulkan: " + instance->why_not());
    return;
  }
  const InstanceApi& vk = instance->api();
  uint32_t count = 0;
  if (vk.vkEnumeratePhysicalDevices(instance->handle(), &count, nullptr) != VK_SUCCESS || count == 0) {
    list.notes.push_back("vulkan: the loader lists no device (no driver for this machine's GPUs, nor Mesa's lavapipe)");
    return;
  }
  std::vector<VkPhysicalDevice> physical(count);
  if (vk.vkEnumeratePhysicalDevices(instance->handle(), &count, physical.data()) < 0) {
    list.notes.push_back("vulkan: the loader failed to list its devices");
    return;
  }
  for (uint32_t i = 0; i < count; ++i) {
    // Ids follow the loader's order even when a device before this one could not be opened.
    const std::string id = fmt::format("gpu{}", i);
    try {
      list.devices.push_back(std::make_unique<VulkanDevice>(std::make_shared<Context>(instance, physical[i], id)));
    } catch (const Error& e) {
      list.notes.push_back(fmt::format("vulkan: {} not opened: {}", id, e.what()));
    }
  }
}

void open_devices(const Machine&, backends::DeviceList& list) {
  // SPECGAP_VULKAN names another loader, as it does for the probe (probe/machine.cpp).
  const char* library = std::getenv("SPECGAP_VULKAN");
  open_devices_with(library && *library ? library : "libvulkan.so.1", list);
}

nlohmann::json VulkanDevice::theoretical_peak(const backends::PeakRequest& r, double clock_ghz) const {
  return theoretical_peak_of(info(), r.dtype, clock_ghz);
}

}  // namespace specgap::vulkan
