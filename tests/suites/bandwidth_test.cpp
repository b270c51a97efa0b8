// measure_bandwidth on a tiny configuration through a recording sink: every op checked and
// measured, the samples it promises, the best variant named; plus STREAM's byte counting.
#include <gtest/gtest.h>
#include <sched.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "backends/cpu/cpu_device.h"
#include "backends/cpu/memory_kernels.h"
#include "core/error.h"
#include "core/interrupt.h"
#include "core/units.h"
#include "support/recording_sink.h"
#include "timed_spans.h"
#include "suites/memory/bandwidth.h"

namespace specgap::suites {
namespace {

BandwidthConfig tiny_config() {
  BandwidthConfig c;
  c.cpus = {};  // one unpinned thread
  c.array_bytes = 1 * MiB;
  c.reps = 2;
  return c;
}

std::set<std::string> impls_of(StreamOp op) {
  std::set<std::string> out;
  for (const auto& k : cpu::memory_kernels(op)) out.insert(k.impl);
  return out;
}

// The stop flag is process-wide: no test may leave it set for the next.
class MeasureBandwidth : public ::testing::Test {
 protected:
  void SetUp() override { clear_interrupt(); }
  void TearDown() override { clear_interrupt(); }
  std::unique_ptr<backends::Device> cpu_ = cpu::make_cpu_device(Machine{});
};

TEST_F(MeasureBandwidth, OneCheckedResultPerOpWithEverySample) {
  const BandwidthConfig config = tiny_config();
  test::RecordingSink sink;
  const auto results = measure_bandwidth(*cpu_, config, sink);

  ASSERT_EQ(results.size(), all_stream_ops().size());
  ASSERT_EQ(sink.results.size(), results.size());  // each result also went to the sink, as it landed
  const uint64_t n = config.array_bytes / sizeof(double);
  for (size_t i = 0; i < results.size(); ++i) {
    const Result& r = results[i];
    const auto& info = all_stream_ops()[i];
    SCOPED_TRACE(info.name);
    EXPECT_EQ(r.name, info.name);
    EXPECT_EQ(sink.results[i].name, info.name);
    EXPECT_EQ(r.suite, "memory");
    EXPECT_EQ(r.device, "cpu");
    EXPECT_EQ(r.unit, "GB/s");
    EXPECT_EQ(r.check, kCheckPassed);
    EXPECT_TRUE(impls_of(info.op).count(r.impl)) << r.impl;
    EXPECT_GT(r.value, 0);
    EXPECT_TRUE(std::isfinite(r.value));
    EXPECT_EQ(r.value, r.stats.median);
    EXPECT_EQ(r.stats.reps, size_t(config.reps));
    EXPECT_LE(r.stats.min, r.value);
    EXPECT_GE(r.stats.max, r.value);
    EXPECT_EQ(r.params["array_bytes"], config.array_bytes);
    EXPECT_EQ(r.params["bytes_per_rep"], stream_bytes(info.op, n));
    EXPECT_EQ(r.params["threads"], 1);

    // Every variant is kept, checked, with its samples; the headline is the best median.
    ASSERT_EQ(r.variants.size(), cpu::memory_kernels(info.op).size());
    size_t passed = 0;
    double best_median = 0;
    for (const auto& v : r.variants) {
      EXPECT_TRUE(impls_of(info.op).count(v["impl"].get<std::string>())) << v.dump();
      EXPECT_EQ(v["check"], kCheckPassed) << v.dump();
      if (v["check"] != kCheckPassed) continue;
      ++passed;
      EXPECT_EQ(v["samples"].size(), size_t(config.reps)) << v.dump();
      best_median = std::max(best_median, v["stats"]["median"].get<double>());
    }
    EXPECT_EQ(r.value, best_median);

    const auto samples = std::count_if(sink.samples.begin(), sink.samples.end(),
                                       [&](const Sample& s) { return s.name == info.name; });
    EXPECT_EQ(size_t(samples), size_t(config.reps) * passed);
    EXPECT_EQ(r.timed.size(), 1u) << "its variants' repetitions, first to last";
  }
  test::expect_disjoint_timed_spans(results);
  for (const Sample& s : sink.samples) {
    EXPECT_EQ(s.suite, "memory");
    EXPECT_EQ(s.unit, "GB/s");
    EXPECT_GT(s.value, 0);
    EXPECT_GE(s.params["rep"].get<int>(), 0);
    EXPECT_LT(s.params["rep"].get<int>(), config.reps);
    EXPECT_GE(s.params["ns"].get<int64_t>(), 0);
  }
}

TEST_F(MeasureBandwidth, OpsAndImplsNarrowWhatRuns) {
  BandwidthConfig config = tiny_config();
  config.ops = {StreamOp::triad, StreamOp::read};
  config.impls = {"scalar"};
  test::RecordingSink sink;
  const auto results = measure_bandwidth(*cpu_, config, sink);
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].name, "triad");
  EXPECT_EQ(results[1].name, "read");
  for (const auto& r : results) {
    EXPECT_EQ(r.impl, "scalar");
    EXPECT_EQ(r.variants.size(), 1u);
  }
  EXPECT_EQ(sink.samples.size(), 2u * size_t(config.reps));
  for (const auto& s : sink.samples) EXPECT_EQ(s.impl, "scalar");
}

TEST_F(MeasureBandwidth, AnImplOfOneOpOnlySkipsTheOthers) {
  BandwidthConfig config = tiny_config();
  config.impls = {"libc-memcpy"};
  test::RecordingSink sink;
  const auto results = measure_bandwidth(*cpu_, config, sink);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].name, "copy");
  EXPECT_EQ(results[0].impl, "libc-memcpy");
}

TEST_F(MeasureBandwidth, PinnedThreadsShareTheArrays) {
  cpu_set_t set;
  ASSERT_EQ(sched_getaffinity(0, sizeof set, &set), 0);
  std::vector<int> cpus;
  for (int i = 0; i < CPU_SETSIZE && cpus.size() < 2; ++i)
    if (CPU_ISSET(i, &set)) cpus.push_back(i);
  BandwidthConfig config = tiny_config();
  config.cpus = cpus;
  config.ops = {StreamOp::add};
  test::RecordingSink sink;
  const auto results = measure_bandwidth(*cpu_, config, sink);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].check, kCheckPassed);
  EXPECT_EQ(results[0].params["threads"], cpus.size());
  for (const auto& v : results[0].variants) EXPECT_EQ(v["check"], kCheckPassed) << v.dump();
}

TEST_F(MeasureBandwidth, AStopRequestEndsTheRunWithoutANumber) {
  test::RecordingSink sink;
  request_interrupt();
  EXPECT_THROW(measure_bandwidth(*cpu_, tiny_config(), sink), Interrupted);
  EXPECT_TRUE(sink.samples.empty());
  EXPECT_TRUE(sink.results.empty());
}

}  // namespace
}  // namespace specgap::suites
