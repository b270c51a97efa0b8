#pragma once
// Dense C = A * B on a Vulkan device: a tiled shared-memory shader (fp32, and fp16 operands with fp32
// accumulation), checked on sampled entries of C against an fp64 reference.
#include <memory>

#include "backends/device.h"
#include "backends/vulkan/context.h"

namespace specgap::vulkan {

backends::Offer make_gemm(std::shared_ptr<Context> ctx, const backends::GemmRequest& r);

}  // namespace specgap::vulkan
