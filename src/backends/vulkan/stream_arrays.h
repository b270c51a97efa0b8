#pragma once
// The memory suite's STREAM arrays on a Vulkan device: device-local float arrays a, b and c, and the
// kernels of each op in two load widths (one float, one vec4 per access).
#include <memory>

#include "backends/device.h"
#include "backends/vulkan/context.h"

namespace specgap::vulkan {

// Throws specgap::Error (one line) when three arrays exceed half the device's memory or one exceeds
// the largest buffer a kernel may bind.
std::unique_ptr<backends::StreamArrays> make_stream_arrays(std::shared_ptr<Context> ctx, uint64_t memory_bytes,
                                                           const backends::StreamRequest& r);

}  // namespace specgap::vulkan
