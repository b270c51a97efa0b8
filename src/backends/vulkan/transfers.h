#pragma once
// Copies between pinned host memory and device memory, and within the device, counted as nvbandwidth
// counts them: the bytes copied, once; a bidirectional run counts both directions' bytes.
#include <memory>

#include "backends/device.h"
#include "backends/vulkan/context.h"

namespace specgap::vulkan {

// The variants of transfer t for `bytes` (rounded down to whole 16-byte words): vkCmdCopyBuffer on
// the compute queue, on the transfer-only (DMA) queue where the device has one, and for d2d a
// compute-shader copy. Throws specgap::Error when the buffers cannot be allocated.
backends::Offer make_transfers(std::shared_ptr<Context> ctx, backends::Transfer t, uint64_t bytes);

}  // namespace specgap::vulkan
