#pragma once
// Rewrites a SPIR-V module written against SPV_NV_cooperative_matrix into its
// SPV_KHR_cooperative_matrix form. Debian 12's spirv-as and spirv-val (2023.1) know only the NV
// extension, so the cooperative-matrix GEMM is written, assembled and validated at build time as NV,
// and turned into KHR (what AMD, Intel and current NVIDIA drivers offer) when a device needs it.
//
// What the rewrite needs of the module:
// - each cooperative-matrix type named with OpName "matrix_a", "matrix_b" or "accumulator" (KHR
//   types carry their use; NV types do not);
// - 32-bit integer OpConstants 0, 1 and 2 declared before those types (the uses and row-major layout
//   are ids of constants in KHR);
// - loads and stores whose column-major operand is OpConstantFalse or OpConstantTrue.
#include <cstdint>
#include <span>
#include <vector>

namespace specgap::vulkan {

// Throws specgap::Error (one line) when the module breaks one of the needs above or is not SPIR-V.
std::vector<uint32_t> cooperative_matrix_nv_to_khr(std::span<const uint32_t> nv);

}  // namespace specgap::vulkan
