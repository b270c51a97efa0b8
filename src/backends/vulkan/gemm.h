#pragma once
// Dense C = A * B on a Vulkan device, checked on sampled entries of C against an fp64 reference:
// - a tiled shared-memory shader on the vector units (fp32, and fp16 operands with fp32 accumulation);
// - a cooperative-matrix shader on the matrix units (VK_KHR_cooperative_matrix: fp16 operands with fp32
//   accumulation, int8 with int32) on a shape the driver lists, where it lists one.
#include <memory>

#include "backends/device.h"
#include "backends/vulkan/context.h"

namespace specgap::vulkan {

backends::Offer make_gemm(std::shared_ptr<Context> ctx, const backends::GemmRequest& r);

}  // namespace specgap::vulkan
