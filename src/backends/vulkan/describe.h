#pragma once
// A Vulkan device's record (backends::DeviceInfo): name, kind, driver, memory, limits, timer, and
// in `extra` the features the kernels depend on and the cooperative-matrix shapes the driver lists.
#include "backends/device.h"
#include "backends/vulkan/context.h"

namespace specgap::vulkan {

backends::DeviceInfo describe_device(const Context& ctx);

}  // namespace specgap::vulkan
