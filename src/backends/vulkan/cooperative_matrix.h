#pragma once
// VK_KHR_cooperative_matrix: the shapes and types a driver lists for its matrix units, and which one
// a GEMM of a given dtype runs on. The extension postdates Debian 12's Vulkan headers (1.3.239), so
// its structures are declared here as the Vulkan registry defines them.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "backends/vulkan/api.h"
#include "core/dtype.h"

namespace specgap::vulkan {

// VkComponentTypeKHR values used here (the registry's numbers).
enum class Component : uint32_t {
  fp16 = 0, fp32 = 1, fp64 = 2, s8 = 3, s16 = 4, s32 = 5, s64 = 6, u8 = 7, u16 = 8, u32 = 9, u64 = 10,
  bf16 = 1000141000, fp8_e4m3 = 1000491002, fp8_e5m2 = 1000491003,
};
std::string to_string(Component c);

// One VkCooperativeMatrixPropertiesKHR entry: C(MxN) = A(MxK) * B(KxN) + C on one scope.
struct MatrixShape {
  uint32_t m = 0, n = 0, k = 0;
  Component a{}, b{}, c{}, result{};
  bool saturating = false;
  bool subgroup_scope = false;  // VK_SCOPE_SUBGROUP_KHR: the only scope the GEMM shader uses
  // "fp16 x fp16 + fp32 -> fp32 16x16x16"
  std::string text() const;
};

// The entries the driver lists for `physical`, in its order of preference; empty when the instance
// lacks the query.
std::vector<MatrixShape> query_matrix_shapes(const Instance& instance, VkPhysicalDevice physical);

// The listed shape the cooperative-matrix GEMM runs a dtype on: fp16 operands accumulated in fp32,
// or int8 operands accumulated in int32, at subgroup scope and without saturation; the driver's
// first such entry. nullopt when none is listed, or the dtype has no such shader (see
// matrix_gemm_why_not).
std::optional<MatrixShape> pick_matrix_shape(const std::vector<MatrixShape>& listed, Dtype d);

// Why the cooperative-matrix GEMM cannot run dtype d given what the driver lists: "" when it can.
std::string matrix_gemm_why_not(const std::vector<MatrixShape>& listed, Dtype d);

// The extension's feature structure (VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_COOPERATIVE_MATRIX_FEATURES_KHR).
struct CooperativeMatrixFeatures {
  VkStructureType sType = VkStructureType(1000506000);
  void* pNext = nullptr;
  VkBool32 cooperativeMatrix = VK_FALSE;
  VkBool32 cooperativeMatrixRobustBufferAccess = VK_FALSE;
};

}  // namespace specgap::vulkan
