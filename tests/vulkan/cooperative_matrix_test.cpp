// The cooperative-matrix GEMM's pieces that need no matrix units: the NV-to-KHR rewrite of its SPIR-V
// and the choice of a fragment shape. (lavapipe lists no cooperative matrix, so the kernel itself
// only runs its check on hardware that does.)
#include <gtest/gtest.h>

#include <map>
#include <vector>

#include "backends/vulkan/cooperative_matrix.h"
#include "backends/vulkan/coopmat_spirv.h"
#include "backends/vulkan/shaders.h"
#include "core/error.h"

namespace specgap::test {
namespace {

using vulkan::Component;
using vulkan::MatrixShape;

struct Op {
  uint32_t opcode;
  std::vector<uint32_t> operands;
};

std::vector<Op> decode(const std::vector<uint32_t>& module) {
  std::vector<Op> ops;
  for (size_t at = 5; at < module.size();) {
    const uint32_t count = module[at] >> 16;
    ops.push_back({module[at] & 0xffffu, {module.begin() + at + 1, module.begin() + at + count}});
    at += count;
  }
  return ops;
}

// The value of each 32-bit OpConstant (43), by id.
std::map<uint32_t, uint32_t> constants(const std::vector<Op>& ops) {
  std::map<uint32_t, uint32_t> out;
  for (const Op& o : ops)
    if (o.opcode == 43 && o.operands.size() == 3) out[o.operands[1]] = o.operands[2];
  return out;
}

#ifdef SPECGAP_VULKAN_SPIRV_TOOLS
std::vector<uint32_t> khr(const char* shader) {
  const auto nv = vulkan::shader_code(shader);
  return vulkan::cooperative_matrix_nv_to_khr(nv);
}

TEST(CooperativeMatrixSpirv, TheRewriteLeavesNoNvInstructionAndGivesEachMatrixItsUse) {
  for (const char* shader : {"gemm_coopmat_fp16", "gemm_coopmat_int8"}) {
    const auto ops = decode(khr(shader));
    const auto values = constants(ops);
    std::vector<uint32_t> uses;
    int loads = 0, stores = 0, multiplies = 0;
    bool capability = false;
    for (const Op& o : ops) {
      EXPECT_FALSE(o.opcode >= 5358 && o.opcode <= 5362) << shader << ": NV opcode " << o.opcode << " left";
      if (o.opcode == 17) {
        EXPECT_NE(o.operands[0], 5357u) << shader << ": the NV capability is left";
        capability |= o.operands[0] == 6022;
      }
      if (o.opcode == 4456) uses.push_back(values.at(o.operands[5]));
      if (o.opcode == 4457) {  // result type, result, pointer, layout, stride
        ++loads;
        EXPECT_EQ(values.at(o.operands[3]), 0u) << shader << ": a load is not row-major";
        EXPECT_EQ(o.operands.size(), 5u);
      }
      if (o.opcode == 4458) {  // pointer, object, layout, stride
        ++stores;
        EXPECT_EQ(values.at(o.operands[2]), 0u) << shader << ": a store is not row-major";
      }
      if (o.opcode == 4459) {
        ++multiplies;
        // int8 operands are signed: A, B, C and the result say so; fp16 has no such operand.
        if (std::string(shader) == "gemm_coopmat_int8") {
          ASSERT_EQ(o.operands.size(), 6u);
          EXPECT_EQ(o.operands[5], 0xfu);
        } else {
          EXPECT_EQ(o.operands.size(), 5u);
        }
      }
    }
    EXPECT_TRUE(capability) << shader;
    EXPECT_EQ(uses, (std::vector<uint32_t>{0, 1, 2})) << shader << ": matrix_a, matrix_b, accumulator";
    EXPECT_EQ(loads, 4) << shader;
    EXPECT_EQ(stores, 4) << shader;
    EXPECT_EQ(multiplies, 4) << shader;
  }
}

TEST(CooperativeMatrixSpirv, TheExtensionIsRenamed) {
  const auto words = khr("gemm_coopmat_fp16");
  const std::string bytes(reinterpret_cast<const char*>(words.data()), words.size() * 4);
  EXPECT_NE(bytes.find("SPV_KHR_cooperative_matrix"), std::string::npos);
  EXPECT_EQ(bytes.find("SPV_NV_cooperative_matrix"), std::string::npos);
}

TEST(CooperativeMatrixSpirv, AnUnnamedMatrixTypeIsRefusedInOneLine) {
  auto nv = std::vector<uint32_t>(vulkan::shader_code("gemm_coopmat_fp16").begin(),
                                  vulkan::shader_code("gemm_coopmat_fp16").end());
  // Rename "matrix_a" (OpName's literal) so that its use cannot be known.
  const std::string bytes(reinterpret_cast<const char*>(nv.data()), nv.size() * 4);
  const size_t at = bytes.find("matrix_a");
  ASSERT_NE(at, std::string::npos);
  reinterpret_cast<char*>(nv.data())[at] = 'x';
  try {
    vulkan::cooperative_matrix_nv_to_khr(nv);
    FAIL() << "an unnamed matrix type was rewritten";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("named neither matrix_a"), std::string::npos) << e.what();
  }
}
#endif

TEST(CooperativeMatrixSpirv, NotSpirvIsRefused) {
  const std::vector<uint32_t> junk{1, 2, 3, 4, 5, 6};
  EXPECT_THROW(vulkan::cooperative_matrix_nv_to_khr(junk), Error);
  std::vector<uint32_t> truncated{0x07230203, 0x10500, 0, 100, 0, 0xffff0011};  // an instruction 65535 words long
  EXPECT_THROW(vulkan::cooperative_matrix_nv_to_khr(truncated), Error);
}

MatrixShape shape(uint32_t m, uint32_t n, uint32_t k, Component ab, Component c, bool subgroup = true) {
  return {m, n, k, ab, ab, c, c, false, subgroup};
}

TEST(CooperativeMatrixShapes, EachDtypeTakesTheDriversFirstShapeOfItsTypes) {
  const std::vector<MatrixShape> listed{shape(16, 16, 16, Component::fp16, Component::fp16),
                                        shape(32, 32, 8, Component::fp16, Component::fp32, false),
                                        shape(16, 8, 16, Component::fp16, Component::fp32),
                                        shape(16, 16, 16, Component::fp16, Component::fp32),
                                        shape(16, 16, 32, Component::s8, Component::s32)};
  const auto fp16 = vulkan::pick_matrix_shape(listed, Dtype::fp16);
  ASSERT_TRUE(fp16);
  EXPECT_EQ(fp16->text(), "fp16 x fp16 + fp32 -> fp32 16x8x16");
  const auto int8 = vulkan::pick_matrix_shape(listed, Dtype::int8);
  ASSERT_TRUE(int8);
  EXPECT_EQ(int8->k, 32u);
  EXPECT_EQ(vulkan::matrix_gemm_why_not(listed, Dtype::fp16), "");
}

TEST(CooperativeMatrixShapes, WhatCannotRunSaysWhy) {
  const std::vector<MatrixShape> fp16_only{shape(16, 16, 16, Component::fp16, Component::fp16)};
  EXPECT_EQ(vulkan::matrix_gemm_why_not({}, Dtype::fp16), "unsupported: this driver offers no VK_KHR_cooperative_matrix");
  EXPECT_EQ(vulkan::matrix_gemm_why_not(fp16_only, Dtype::fp16),
            "unsupported: the driver lists no subgroup-scope fp16 x fp16 + fp32 cooperative matrix");
  EXPECT_EQ(vulkan::matrix_gemm_why_not(fp16_only, Dtype::int8),
            "unsupported: the driver lists no subgroup-scope s8 x s8 + s32 cooperative matrix");
  const std::vector<MatrixShape> bf16{shape(16, 16, 16, Component::bf16, Component::fp32)};
  EXPECT_NE(vulkan::matrix_gemm_why_not(bf16, Dtype::bf16).find("no bf16 cooperative-matrix shader"), std::string::npos);
  EXPECT_FALSE(vulkan::pick_matrix_shape(bf16, Dtype::bf16));
}

}  // namespace
}  // namespace specgap::test
