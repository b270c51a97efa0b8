#pragma once
// The compute shaders, compiled from shaders/*.comp (glslc) and assembled from shaders/*.spvasm
// (spirv-as, when found) to SPIR-V at build time and embedded as words
// (the generated vulkan_shaders.cpp, written by embed_spirv.cmake).
#include <cstdint>
#include <span>
#include <string_view>

namespace specgap::vulkan {

// The SPIR-V of shaders/<name>.comp or .spvasm; throws specgap::Error for a name no shader has.
std::span<const uint32_t> shader_code(std::string_view name);

}  // namespace specgap::vulkan
