// measure_sweep and measure_latency on the smallest working sets, one repetition: the records they
// produce and the usage errors they raise. (What the figures are worth is for benchmarks.)
#include <gtest/gtest.h>

#include <algorithm>

#include <cmath>
#include <string>

#include "backends/cpu/cpu_device.h"
#include "core/error.h"
#include "core/interrupt.h"
#include "core/units.h"
#include "support/recording_sink.h"
#include "suites/memory/latency.h"
#include "suites/memory/sweep.h"

namespace specgap::suites {
namespace {

SweepConfig tiny_sweep() {
  SweepConfig c;
  c.min_bytes = 16 * KiB;
  c.max_bytes = 32 * KiB;
  c.points_per_octave = 1;
  c.reps = 2;
  c.ops = {StreamOp::read, StreamOp::triad};
  return c;
}

class TinySuites : public ::testing::Test {
 protected:
  void SetUp() override { clear_interrupt(); }
  void TearDown() override { clear_interrupt(); }
  std::unique_ptr<backends::Device> cpu_ = cpu::make_cpu_device(Machine{});
};

TEST_F(TinySuites, SweepRecordsOnePointPerSizeAndOp) {
  const SweepConfig config = tiny_sweep();
  test::RecordingSink sink;
  const auto results = measure_sweep(*cpu_, config, {}, sink);
  size_t points = 0;
  for (const auto& r : results) {
    SCOPED_TRACE(r.name);
    EXPECT_TRUE(r.name == "read" || r.name == "triad");
    EXPECT_EQ(r.unit, "GB/s");
    EXPECT_EQ(r.check, kCheckPassed);
    EXPECT_GT(r.value, 0);
    const std::string kind = r.params.value("kind", "");
    EXPECT_TRUE(kind == "sweep_point" || kind == "plateau") << kind;
    if (kind != "sweep_point") continue;
    ++points;
    // The measured set is the requested one rounded down to whole 64-element blocks per thread.
    const uint64_t ws = r.params["working_set_bytes"];
    const uint64_t asked = r.params["requested_bytes"];
    EXPECT_TRUE(asked == 16 * KiB || asked == 32 * KiB) << asked;
    EXPECT_LE(ws, asked);
    EXPECT_GT(ws + 64 * 8 * 3 * std::max<size_t>(1, config.cpus.size()), asked);
    EXPECT_EQ(r.stats.reps, size_t(config.reps));
    EXPECT_GE(r.params["iterations"].get<int>(), 1);
    EXPECT_NE(r.impl, "");
    EXPECT_NE(r.impl, "libc-memcpy");
  }
  EXPECT_EQ(points, 4u);  // 2 sizes x 2 ops
  EXPECT_EQ(sink.samples.size(), points * size_t(config.reps));
  EXPECT_EQ(sink.results.size(), results.size());
}

TEST_F(TinySuites, SweepUsesTheImplAskedFor) {
  SweepConfig config = tiny_sweep();
  config.ops = {StreamOp::copy};
  config.impl = "scalar";
  test::RecordingSink sink;
  for (const auto& r : measure_sweep(*cpu_, config, {}, sink)) EXPECT_EQ(r.impl, "scalar");
  for (const auto& s : sink.samples) EXPECT_EQ(s.impl, "scalar");
}

TEST_F(TinySuites, SweepRefusesAnUnknownImplAndAnEmptyRange) {
  SweepConfig config = tiny_sweep();
  config.impl = "no-such-variant";
  test::RecordingSink sink;
  EXPECT_THROW(measure_sweep(*cpu_, config, {}, sink), UsageError);
  config = tiny_sweep();
  config.min_bytes = 1 * MiB;
  config.max_bytes = 16 * KiB;
  EXPECT_THROW(measure_sweep(*cpu_, config, {}, sink), UsageError);
}

TEST_F(TinySuites, LatencyRecordsOnePointPerWorkingSet) {
  LatencyConfig config;
  config.min_bytes = 16 * KiB;
  config.max_bytes = 32 * KiB;
  config.points_per_octave = 1;
  config.reps = 1;
  test::RecordingSink sink;
  const auto results = measure_latency(*cpu_, config, {}, sink);
  size_t points = 0;
  for (const auto& r : results) {
    EXPECT_EQ(r.unit, "ns");
    EXPECT_EQ(r.impl, "pointer-chase-random");
    EXPECT_GT(r.value, 0);
    EXPECT_TRUE(std::isfinite(r.value));
    if (r.params["kind"] == "sweep_point") {
      ++points;
      EXPECT_EQ(r.name, "latency");
      EXPECT_GE(r.params["loads_per_rep"].get<uint64_t>(), 1u << 14);
    }
  }
  EXPECT_EQ(points, 2u);
  EXPECT_EQ(sink.samples.size(), 2u);
}

TEST_F(TinySuites, StopRequestEndsASweep) {
  request_interrupt();
  test::RecordingSink sink;
  EXPECT_THROW(measure_sweep(*cpu_, tiny_sweep(), {}, sink), Interrupted);
  EXPECT_TRUE(sink.samples.empty());
}

}  // namespace
}  // namespace specgap::suites
