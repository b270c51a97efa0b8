#pragma once
// A Vulkan physical device as a backends::Device, and the backend's entry point open_devices (called
// by backends/registry.cpp): one Device per device the loader lists, ids gpu0, gpu1, ... in its order.
#include <memory>

#include "backends/device.h"
#include "backends/registry.h"
#include "backends/vulkan/context.h"

namespace specgap::vulkan {

class VulkanDevice final : public backends::Device {
 public:
  explicit VulkanDevice(std::shared_ptr<Context> ctx);
  const backends::DeviceInfo& info() const override { return info_; }
  std::unique_ptr<backends::StreamArrays> stream_arrays(const backends::StreamRequest& r) override;
  backends::Offer transfers(backends::Transfer t, uint64_t bytes) override;
  backends::Offer peak(const backends::PeakRequest& r) override;
  backends::Offer gemm(const backends::GemmRequest& r) override;
  backends::Offer latency(const backends::LatencyRequest& r) override;
  nlohmann::json theoretical_peak(const backends::PeakRequest& r, double clock_ghz) const override;

 private:
  std::shared_ptr<Context> ctx_;
  backends::DeviceInfo info_;
};

// open_devices with the loader named: `library` instead of SPECGAP_VULKAN or libvulkan.so.1.
void open_devices_with(const std::string& library, backends::DeviceList& list);

// The backend's entry point: the loader SPECGAP_VULKAN names, else libvulkan.so.1. A missing loader,
// no device, or a device that cannot be opened is one line in list.notes, never an exception.
void open_devices(const Machine& m, backends::DeviceList& list);

}  // namespace specgap::vulkan
