#include "backends/vulkan/cooperative_matrix.h"

#include <fmt/format.h>

namespace specgap::vulkan {
namespace {

// VkCooperativeMatrixPropertiesKHR (VK_STRUCTURE_TYPE_COOPERATIVE_MATRIX_PROPERTIES_KHR = 1000506001).
struct CooperativeMatrixProperties {
  VkStructureType sType;
  void* pNext;
  uint32_t MSize, NSize, KSize;
  uint32_t AType, BType, CType, ResultType;
  VkBool32 saturatingAccumulation;
  uint32_t scope;
};
using GetCooperativeMatrixProperties = VkResult(VKAPI_PTR*)(VkPhysicalDevice, uint32_t*, CooperativeMatrixProperties*);
constexpr auto kPropertiesType = VkStructureType(1000506001);
constexpr uint32_t kScopeSubgroup = 3;  // VK_SCOPE_SUBGROUP_KHR

// The operand and accumulator types of the shaders built (shaders/gemm_coopmat.spvasm.in).
struct Built {
  Dtype dtype;
  Component operands, accumulator;
};
constexpr Built kBuilt[] = {{Dtype::fp16, Component::fp16, Component::fp32}, {Dtype::int8, Component::s8, Component::s32}};

}  // namespace

std::string to_string(Component c) {
  switch (c) {
    case Component::fp16: return "fp16";
    case Component::fp32: return "fp32";
    case Component::fp64: return "fp64";
    case Component::s8: return "s8";
    case Component::s16: return "s16";
    case Component::s32: return "s32";
    case Component::s64: return "s64";
    case Component::u8: return "u8";
    case Component::u16: return "u16";
    case Component::u32: return "u32";
    case Component::u64: return "u64";
    case Component::bf16: return "bf16";
    case Component::fp8_e4m3: return "fp8e4m3";
    case Component::fp8_e5m2: return "fp8e5m2";
  }
  return fmt::format("type {}", uint32_t(c));
}

std::string MatrixShape::text() const {
  return fmt::format("{} x {} + {} -> {} {}x{}x{}{}{}", to_string(a), to_string(b), to_string(c), to_string(result),
                     m, n, k, saturating ? " saturating" : "", subgroup_scope ? "" : " (not subgroup scope)");
}

std::vector<MatrixShape> query_matrix_shapes(const Instance& instance, VkPhysicalDevice physical) {
  std::vector<MatrixShape> out;
  const auto get = reinterpret_cast<GetCooperativeMatrixProperties>(
      instance.function("vkGetPhysicalDeviceCooperativeMatrixPropertiesKHR"));
  if (!get) return out;
  uint32_t count = 0;
  if (get(physical, &count, nullptr) != VK_SUCCESS) return out;
  std::vector<CooperativeMatrixProperties> p(count, CooperativeMatrixProperties{kPropertiesType});
  if (get(physical, &count, p.data()) != VK_SUCCESS) return out;
  for (uint32_t i = 0; i < count; ++i)
    out.push_back({p[i].MSize, p[i].NSize, p[i].KSize, Component(p[i].AType), Component(p[i].BType),
                   Component(p[i].CType), Component(p[i].ResultType), p[i].saturatingAccumulation != VK_FALSE,
                   p[i].scope == kScopeSubgroup});
  return out;
}

std::optional<MatrixShape> pick_matrix_shape(const std::vector<MatrixShape>& listed, Dtype d) {
  for (const Built& b : kBuilt) {
    if (b.dtype != d) continue;
    for (const MatrixShape& s : listed)
      if (s.subgroup_scope && !s.saturating && s.a == b.operands && s.b == b.operands && s.c == b.accumulator &&
          s.result == b.accumulator && s.m && s.n && s.k)
        return s;
  }
  return std::nullopt;
}

std::string matrix_gemm_why_not(const std::vector<MatrixShape>& listed, Dtype d) {
  if (listed.empty()) return "unsupported: this driver offers no VK_KHR_cooperative_matrix";
  if (pick_matrix_shape(listed, d)) return "";
  for (const Built& b : kBuilt)
    if (b.dtype == d)
      return fmt::format("unsupported: the driver lists no subgroup-scope {} x {} + {} cooperative matrix", to_string(b.operands),
                         to_string(b.operands), to_string(b.accumulator));
  // bf16 and fp8 need SPIR-V types (BFloat16KHR, Float8EXT) that Debian 12's spirv-as cannot assemble.
  return fmt::format("unsupported: specgap has no {} cooperative-matrix shader (fp16 and int8 only: Debian 12's "
                     "SPIR-V tools predate the bf16 and fp8 types)", specgap::to_string(d));
}

}  // namespace specgap::vulkan
