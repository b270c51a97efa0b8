#pragma once
// The compute suite's peak on a Vulkan device: register-resident FMA chains per float dtype
// (shaders/peak.glsl) and packed int8 dot-product chains (shaders/peak_int8.spvasm), each checked in
// closed form on every invocation's output.
#include <memory>

#include "backends/device.h"
#include "backends/vulkan/context.h"

namespace specgap::vulkan {

backends::Offer make_peak(std::shared_ptr<Context> ctx, const backends::PeakRequest& r);

}  // namespace specgap::vulkan
