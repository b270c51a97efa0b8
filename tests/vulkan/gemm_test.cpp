#include <gtest/gtest.h>

#include "vulkan/vulkan_fixture.h"

namespace specgap::test {
namespace {

// Not a multiple of the 64x64 tile nor of the 16-deep k slice: every edge path runs.
backends::GemmRequest shape(Dtype d, int m, int n, int k, int samples, uint64_t seed) {
  backends::GemmRequest r;
  r.dtype = d, r.m = m, r.n = n, r.k = k, r.check_samples = samples, r.rep_seconds = 0.005, r.seed = seed;
  return r;
}
backends::GemmRequest small(Dtype d) { return shape(d, 64, 48, 40, 32, 3); }

TEST(VulkanGemm, Fp32AndFp16PassTheirCheckWithEdges) {
  SPECGAP_NEED_LAVAPIPE(device);
  for (Dtype d : {Dtype::fp32, Dtype::fp16}) {
    for (backends::GemmRequest r : {small(d), shape(d, 70, 1, 129, 16, 4)}) {
      backends::Offer offer = device->gemm(r);
      if (d == Dtype::fp16 && !has_shader_fp16(*device)) {
        EXPECT_EQ(offer.unsupported, "unsupported: fp16 GEMM needs shaderFloat16 and storageBuffer16BitAccess");
        continue;
      }
      ASSERT_EQ(offer.kernels.size(), 1u) << to_string(d) << ": " << offer.unsupported;
      backends::Kernel& k = *offer.kernels[0];
      EXPECT_EQ(k.check(), "") << to_string(d) << " " << r.m << "x" << r.n << "x" << r.k;
      EXPECT_EQ(k.work(), 2.0 * r.m * r.n * r.k * k.about()["calls_per_rep"].get<double>());
      EXPECT_GT(k.run().ns, 0);
    }
  }
}

TEST(VulkanGemm, ACorruptedEntryFailsTheCheck) {
  SPECGAP_NEED_LAVAPIPE(device);
  for (Dtype d : {Dtype::fp32, Dtype::fp16}) {
    if (d == Dtype::fp16 && !has_shader_fp16(*device)) continue;  // refused: Fp32AndFp16PassTheirCheckWithEdges
    backends::Offer offer = device->gemm(small(d));
    ASSERT_EQ(offer.kernels.size(), 1u);
    corrupt_next_check(*offer.kernels[0]);
    const std::string why = offer.kernels[0]->check();
    EXPECT_NE(why.find("C[63,47]"), std::string::npos) << why;
  }
}

TEST(VulkanGemm, Fp16SaysWhyItRunsOnlyOnTheVectorUnits) {
  SPECGAP_NEED_LAVAPIPE(device);
  if (!has_shader_fp16(*device)) GTEST_SKIP() << "this lavapipe has no shaderFloat16 (arm64 Mesa)";
  backends::Offer offer = device->gemm(small(Dtype::fp16));
  ASSERT_EQ(offer.kernels.size(), 1u);
  EXPECT_EQ(offer.kernels[0]->impl(), "vk-tiled-f16in");
  EXPECT_EQ(offer.kernels[0]->about()["matrix_units"], false);
  EXPECT_EQ(offer.notes, (std::vector<std::string>{
                             "no cooperative-matrix fp16 GEMM: this driver offers no VK_KHR_cooperative_matrix"}));
}

TEST(VulkanGemm, MatrixFormatsAreUnsupportedWithoutCooperativeMatrices) {
  SPECGAP_NEED_LAVAPIPE(device);
  for (Dtype d : {Dtype::bf16, Dtype::fp8, Dtype::int8, Dtype::tf32, Dtype::fp4}) {
    backends::Offer offer = device->gemm(small(d));
    EXPECT_TRUE(offer.kernels.empty());
    EXPECT_EQ(offer.unsupported, "unsupported: this driver offers no VK_KHR_cooperative_matrix") << to_string(d);
  }
}

}  // namespace
}  // namespace specgap::test
