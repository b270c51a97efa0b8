#pragma once
// The memory suite's pointer chase on a Vulkan device (backends/device.h, LatencyRequest): one
// invocation follows a random single cycle over the 64-byte lines of a device-local buffer
// (shaders/pointer_chase.comp), timed by the device's timestamps and checked by where it ends.
#include <cstdint>
#include <memory>

#include "backends/device.h"
#include "backends/vulkan/context.h"

namespace specgap::vulkan {

// Unsupported (with the reason) where the compute queue has no timestamps, or the working set exceeds
// the largest buffer or a sixth of `memory_bytes` (as each STREAM array does).
backends::Offer make_latency(std::shared_ptr<Context> ctx, uint64_t memory_bytes, const backends::LatencyRequest& r);

}  // namespace specgap::vulkan
