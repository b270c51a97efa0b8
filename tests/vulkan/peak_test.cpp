#include <gtest/gtest.h>

#include "vulkan/vulkan_fixture.h"

namespace specgap::test {
namespace {

// Short repetitions: lavapipe runs shaders on the CPU.
constexpr double kRepSeconds = 0.005;

backends::PeakRequest peak_request(Dtype d) {
  backends::PeakRequest r;
  r.dtype = d;
  r.rep_seconds = kRepSeconds;
  return r;
}

// Every dtype the Vulkan backend has a peak kernel for; lavapipe supports them all (int8 through
// shaderIntegerDotProduct, not accelerated).
constexpr Dtype kKernelDtypes[] = {Dtype::fp32, Dtype::fp16, Dtype::fp64, Dtype::int8};

TEST(VulkanPeak, EveryDtypePassesItsClosedFormCheck) {
  SPECGAP_NEED_LAVAPIPE(device);
  for (Dtype d : kKernelDtypes) {
    backends::Offer offer = device->peak(peak_request(d));
    if (d == Dtype::fp16 && !has_shader_fp16(*device)) {
      EXPECT_EQ(offer.unsupported, "unsupported: this device has no shaderFloat16");
      continue;
    }
    ASSERT_EQ(offer.kernels.size(), 1u) << to_string(d) << ": " << offer.unsupported;
    backends::Kernel& k = *offer.kernels[0];
    EXPECT_EQ(k.check(), "") << to_string(d);
    const nlohmann::json about = k.about();
    const double invocations = about["workgroups"].get<double>() * about["workgroup"].get<double>();
    EXPECT_EQ(k.work(), invocations * about["iterations"].get<double>() * about["chains_per_invocation"].get<double>() *
                            about["lanes_per_chain"].get<double>() * about["ops_per_lane"].get<double>() *
                            about["launches_per_rep"].get<double>());
    EXPECT_GT(k.run().ns, 0);
  }
}

// The int8 kernel counts each packed dot product as 8 OPs on one int32 lane per chain, and says
// whether the driver accelerates it (lavapipe does not).
TEST(VulkanPeak, Int8CountsEightOpsPerDotAndSaysItIsNotAccelerated) {
  SPECGAP_NEED_LAVAPIPE(device);
  backends::Offer offer = device->peak(peak_request(Dtype::int8));
  ASSERT_EQ(offer.kernels.size(), 1u) << offer.unsupported;
  const nlohmann::json about = offer.kernels[0]->about();
  EXPECT_EQ(about["lanes_per_chain"], 1);
  EXPECT_EQ(about["ops_per_lane"], 8);
  EXPECT_EQ(about["integerDotProduct4x8BitPackedSignedAccelerated"], false);
  EXPECT_EQ(about["instruction"], "OpSDotAccSat, PackedVectorFormat4x8Bit");
}

TEST(VulkanPeak, ACorruptedInvocationFailsTheCheck) {
  SPECGAP_NEED_LAVAPIPE(device);
  for (Dtype d : kKernelDtypes) {
    if (d == Dtype::fp16 && !has_shader_fp16(*device)) continue;  // refused: EveryDtypePassesItsClosedFormCheck
    backends::Offer offer = device->peak(peak_request(d));
    ASSERT_EQ(offer.kernels.size(), 1u);
    corrupt_next_check(*offer.kernels[0]);
    EXPECT_NE(offer.kernels[0]->check().find("invocation"), std::string::npos) << to_string(d);
  }
}

TEST(VulkanPeak, OtherDtypesAreUnsupportedWithAReason) {
  SPECGAP_NEED_LAVAPIPE(device);
  for (Dtype d : {Dtype::bf16, Dtype::tf32, Dtype::fp8, Dtype::fp4}) {
    backends::Offer offer = device->peak(peak_request(d));
    EXPECT_TRUE(offer.kernels.empty()) << to_string(d);
    EXPECT_EQ(offer.unsupported.rfind("unsupported: ", 0), 0u) << offer.unsupported;
  }
}

}  // namespace
}  // namespace specgap::test
