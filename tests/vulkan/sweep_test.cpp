// The working-set sweep on a GPU through the seam: span kernels over the first elements of the
// STREAM arrays, each checked (a corrupted output fails), and the sweep's records on lavapipe.
#include <gtest/gtest.h>

#include <string>

#include "core/error.h"
#include "core/stream_ops.h"
#include "core/units.h"
#include "suites/memory/sweep.h"
#include "support/recording_sink.h"
#include "vulkan/vulkan_fixture.h"

namespace specgap::test {
namespace {

constexpr uint64_t kArrayBytes = uint64_t(1) << 20;
constexpr uint64_t kSpan = 1024;  // elements: a sixty-fourth of the arrays

TEST(VulkanSweep, SpanKernelsCheckAndCountOnlyTheirSpan) {
  SPECGAP_NEED_LAVAPIPE(device);
  auto arrays = device->stream_arrays({kArrayBytes, {}, 7, false});
  EXPECT_EQ(arrays->span_step(), 4u);
  EXPECT_EQ(arrays->preferred_impl(StreamOp::triad), "vk-vec4");
  arrays->fill(0, kSpan);
  for (const StreamOpInfo& op : all_stream_ops()) {
    auto kernels = arrays->kernels(op.op, {}, {kSpan, 2'000'000});
    ASSERT_EQ(kernels.size(), 2u);
    for (auto& k : kernels) {
      EXPECT_EQ(k->check(), "") << op.name << " " << k->impl();
      const int launches = k->about()["launches_per_rep"];
      EXPECT_EQ(k->work(), double(stream_bytes(op.op, kSpan, 4)) * launches);
      EXPECT_GT(k->run().ns, 0);
    }
  }
}

TEST(VulkanSweep, ACorruptedSpanOutputFailsTheCheck) {
  SPECGAP_NEED_LAVAPIPE(device);
  auto arrays = device->stream_arrays({kArrayBytes, {}, 8, false});
  arrays->fill(0, kSpan);
  for (const StreamOpInfo& op : all_stream_ops()) {
    for (auto& k : arrays->kernels(op.op, {}, {kSpan, 0})) {
      corrupt_next_check(*k);
      const std::string why = k->check();
      EXPECT_NE(why.find(op.name), std::string::npos) << op.name << " " << k->impl() << ": " << why;
    }
  }
}

TEST(VulkanSweep, ASpanOutsideTheArraysIsAnError) {
  SPECGAP_NEED_LAVAPIPE(device);
  auto arrays = device->stream_arrays({kArrayBytes, {}, 9, false});
  EXPECT_THROW(arrays->kernels(StreamOp::copy, {}, {arrays->elements() + 4, 0}), Error);
  EXPECT_THROW(arrays->kernels(StreamOp::copy, {}, {kSpan + 2, 0}), Error);
  EXPECT_THROW(arrays->kernels(StreamOp::copy, {}, {0, 0}), Error);
}

TEST(VulkanSweep, TheSweepMeasuresEveryPointOnTheDevice) {
  SPECGAP_NEED_LAVAPIPE(device);
  suites::SweepConfig config;
  config.min_bytes = 16 * KiB;
  config.max_bytes = 64 * KiB;
  config.points_per_octave = 1;
  config.reps = 2;
  config.ops = {StreamOp::read, StreamOp::triad};
  RecordingSink sink;
  const auto results = suites::measure_sweep(*device, config, {}, sink);
  size_t points = 0;
  for (const auto& r : results) {
    SCOPED_TRACE(r.name);
    EXPECT_EQ(r.device, device->info().id);
    EXPECT_EQ(r.impl, "vk-vec4");
    EXPECT_GT(r.value, 0);
    if (r.params["kind"] != "sweep_point") continue;
    ++points;
    EXPECT_EQ(r.check, kCheckPassed);
    EXPECT_EQ(r.stats.reps, size_t(config.reps));
    EXPECT_LE(r.params["working_set_bytes"].get<uint64_t>(), r.params["requested_bytes"].get<uint64_t>());
    EXPECT_GE(r.params["iterations"].get<int>(), 1);
    EXPECT_EQ(r.params["device_kind"], "software");
    EXPECT_FALSE(r.params.contains("threads"));  // a GPU's threads are not the host's
  }
  EXPECT_EQ(points, 6u);  // 16, 32 and 64 KiB x 2 ops
  EXPECT_EQ(sink.samples.size(), points * size_t(config.reps));
}

}  // namespace
}  // namespace specgap::test
