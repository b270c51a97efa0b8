#pragma once
// The compute suite's peak on a Vulkan device: register-resident FMA chains per dtype, checked in
// closed form on every invocation's output (shaders/peak.glsl).
#include <memory>

#include "backends/device.h"
#include "backends/vulkan/context.h"

namespace specgap::vulkan {

backends::Offer make_peak(std::shared_ptr<Context> ctx, const backends::PeakRequest& r);

}  // namespace specgap::vulkan
