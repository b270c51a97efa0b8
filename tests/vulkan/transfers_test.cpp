#include <gtest/gtest.h>

#include "core/error.h"
#include "vulkan/vulkan_fixture.h"

namespace specgap::test {
namespace {

using backends::Transfer;

constexpr uint64_t kBytes = uint64_t(2) << 20;

TEST(VulkanTransfers, EveryDirectionPassesItsCheckAndTimes) {
  SPECGAP_NEED_LAVAPIPE(device);
  for (Transfer t : {Transfer::h2d, Transfer::d2h, Transfer::d2d, Transfer::bidir}) {
    backends::Offer offer = device->transfers(t, kBytes);
    ASSERT_FALSE(offer.kernels.empty()) << backends::to_string(t) << ": " << offer.unsupported;
    // lavapipe has one queue family: no copy-engine variant, the shader copy for d2d only.
    EXPECT_EQ(offer.kernels.size(), t == Transfer::d2d ? 2u : 1u) << backends::to_string(t);
    for (auto& k : offer.kernels) {
      EXPECT_EQ(k->check(), "") << backends::to_string(t) << " " << k->impl();
      const int copies = k->about()["copies_per_rep"];
      EXPECT_EQ(k->work(), double(kBytes) * (t == Transfer::bidir ? 2 : 1) * copies);
      EXPECT_GT(k->run().ns, 0);
      EXPECT_EQ(k->about()["note"], "host and device share the same DRAM (unified memory)");
    }
  }
}

TEST(VulkanTransfers, BidirOnOneQueueSaysSo) {
  SPECGAP_NEED_LAVAPIPE(device);
  backends::Offer offer = device->transfers(Transfer::bidir, kBytes);
  ASSERT_EQ(offer.kernels.size(), 1u);
  EXPECT_EQ(offer.kernels[0]->impl(), "vk-copy-compute-queue");
  EXPECT_NE(offer.kernels[0]->about()["queues"].get<std::string>().find("one submission"), std::string::npos);
}

TEST(VulkanTransfers, ACorruptedDestinationFailsTheCheck) {
  SPECGAP_NEED_LAVAPIPE(device);
  for (Transfer t : {Transfer::h2d, Transfer::d2h, Transfer::d2d, Transfer::bidir}) {
    for (auto& k : device->transfers(t, kBytes).kernels) {
      corrupt_next_check(*k);
      const std::string why = k->check();
      EXPECT_NE(why.find("word 2 of"), std::string::npos) << backends::to_string(t) << " " << k->impl() << ": " << why;
    }
  }
}

}  // namespace
}  // namespace specgap::test

namespace specgap::test {
namespace {

TEST(VulkanTransfers, ACopyBeyondTheLargestAllocationIsAOneLineError) {
  SPECGAP_NEED_LAVAPIPE(device);
  try {
    device->transfers(backends::Transfer::h2d, uint64_t(3) << 30);  // lavapipe allocates at most 2 GiB at once
    FAIL() << "no error";
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("exceeds gpu"), std::string::npos) << what;
    EXPECT_EQ(what.find('\n'), std::string::npos);
  }
}

}  // namespace
}  // namespace specgap::test
