#include <gtest/gtest.h>

#include "vulkan/vulkan_fixture.h"

namespace specgap::test {
namespace {

// Short repetitions: lavapipe runs shaders on the CPU.
constexpr double kRepSeconds = 0.005;

TEST(VulkanPeak, FloatDtypesPassTheirClosedFormCheck) {
  SPECGAP_NEED_LAVAPIPE(device);
  for (Dtype d : {Dtype::fp32, Dtype::fp16, Dtype::fp64}) {
    backends::Offer offer = device->peak({d, kRepSeconds});
    ASSERT_EQ(offer.kernels.size(), 1u) << to_string(d) << ": " << offer.unsupported;
    backends::Kernel& k = *offer.kernels[0];
    EXPECT_EQ(k.check(), "") << to_string(d);
    const nlohmann::json about = k.about();
    const double invocations = about["workgroups"].get<double>() * about["workgroup"].get<double>();
    EXPECT_EQ(k.work(), invocations * about["iterations"].get<double>() * about["chains_per_invocation"].get<double>() *
                            4 * 2 * about["launches_per_rep"].get<double>());
    EXPECT_GT(k.run().ns, 0);
  }
}

TEST(VulkanPeak, ACorruptedInvocationFailsTheCheck) {
  SPECGAP_NEED_LAVAPIPE(device);
  for (Dtype d : {Dtype::fp32, Dtype::fp16, Dtype::fp64}) {
    backends::Offer offer = device->peak({d, kRepSeconds});
    ASSERT_EQ(offer.kernels.size(), 1u);
    corrupt_next_check(*offer.kernels[0]);
    EXPECT_NE(offer.kernels[0]->check().find("invocation"), std::string::npos) << to_string(d);
  }
}

TEST(VulkanPeak, OtherDtypesAreUnsupportedWithAReason) {
  SPECGAP_NEED_LAVAPIPE(device);
  for (Dtype d : {Dtype::int8, Dtype::bf16, Dtype::tf32, Dtype::fp8, Dtype::fp4}) {
    backends::Offer offer = device->peak({d, kRepSeconds});
    EXPECT_TRUE(offer.kernels.empty()) << to_string(d);
    EXPECT_EQ(offer.unsupported.rfind("unsupported: ", 0), 0u) << offer.unsupported;
  }
}

}  // namespace
}  // namespace specgap::test
