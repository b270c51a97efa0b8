#include <gtest/gtest.h>

#include "core/error.h"
#include "core/stream_ops.h"
#include "vulkan/vulkan_fixture.h"

namespace specgap::test {
namespace {

constexpr uint64_t kArrayBytes = uint64_t(1) << 20;

TEST(VulkanStream, EveryOpAndWidthPassesItsCheckAndTimes) {
  SPECGAP_NEED_LAVAPIPE(device);
  auto arrays = device->stream_arrays({kArrayBytes, {}, 7});
  EXPECT_EQ(arrays->element_bytes(), 4u);
  EXPECT_EQ(arrays->elements(), kArrayBytes / 4);
  for (const StreamOpInfo& op : all_stream_ops()) {
    auto kernels = arrays->kernels(op.op, {});
    ASSERT_EQ(kernels.size(), 2u);
    EXPECT_EQ(kernels[0]->impl(), "vk-scalar");  // the reference first
    EXPECT_EQ(kernels[1]->impl(), "vk-vec4");
    for (auto& k : kernels) {
      EXPECT_EQ(k->check(), "") << op.name << " " << k->impl();
      const int launches = k->about()["launches_per_rep"];
      EXPECT_GE(launches, 1);
      EXPECT_EQ(k->work(), double(stream_bytes(op.op, arrays->elements(), 4)) * launches);
      const backends::Repetition r = k->run();
      EXPECT_GT(r.ns, 0) << op.name << " " << k->impl();
      EXPECT_GT(r.observed["host_ns"].get<int64_t>(), 0);
    }
  }
}

TEST(VulkanStream, ACorruptedOutputFailsTheCheck) {
  SPECGAP_NEED_LAVAPIPE(device);
  auto arrays = device->stream_arrays({kArrayBytes, {}, 8});
  for (const StreamOpInfo& op : all_stream_ops()) {
    for (auto& k : arrays->kernels(op.op, {})) {
      corrupt_next_check(*k);
      const std::string why = k->check();
      EXPECT_NE(why, "") << op.name << " " << k->impl();
      EXPECT_NE(why.find(op.name), std::string::npos) << why;
      EXPECT_EQ(k->check(), "") << "the hook corrupts one check only";
    }
  }
}

TEST(VulkanStream, ImplsSelectVariants) {
  SPECGAP_NEED_LAVAPIPE(device);
  auto arrays = device->stream_arrays({kArrayBytes, {}, 9});
  auto kernels = arrays->kernels(StreamOp::triad, {"vk-vec4"});
  ASSERT_EQ(kernels.size(), 1u);
  EXPECT_EQ(kernels[0]->impl(), "vk-vec4");
}

TEST(VulkanStream, ArraysBeyondTheBufferLimitAreAOneLineError) {
  SPECGAP_NEED_LAVAPIPE(device);
  const uint64_t too_big = device->info().max_buffer_bytes + (uint64_t(1) << 20);
  try {
    device->stream_arrays({too_big, {}, 1});
    FAIL() << "no error for " << too_big << " bytes";
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("exceeds the largest buffer"), std::string::npos) << what;
    EXPECT_EQ(what.find('\n'), std::string::npos);
  }
}

}  // namespace
}  // namespace specgap::test
