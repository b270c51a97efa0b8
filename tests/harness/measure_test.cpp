// The one measurement path: a kernel is checked before it is timed, a failed check leaves no figure,
// repetitions interleave across kernels, and the best variant by median is the result.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/interrupt.h"
#include "harness/measure.h"
#include "support/recording_sink.h"

namespace specgap::harness {
namespace {

// A kernel that does `work` units in the nanoseconds it is given, one per run, and logs its calls.
class FakeKernel : public backends::Kernel {
 public:
  FakeKernel(std::string impl, std::vector<int64_t> ns, std::string check_failure, std::vector<std::string>& log)
      : impl_(std::move(impl)), ns_(std::move(ns)), failure_(std::move(check_failure)), log_(log) {}
  std::string impl() const override { return impl_; }
  nlohmann::json about() const override { return {{"lanes", 4}}; }
  double work() const override { return 1000; }
  std::string check() override {
    log_.push_back("check " + impl_);
    return failure_;
  }
  backends::Repetition run() override {
    log_.push_back("run " + impl_);
    const int64_t ns = ns_.at(runs_++);
    return {ns, runs_ == 1 ? nlohmann::json{{"ghz", 2.5}} : nlohmann::json(nullptr)};
  }

 private:
  std::string impl_;
  std::vector<int64_t> ns_;
  std::string failure_;
  std::vector<std::string>& log_;
  size_t runs_ = 0;
};

Plan plan(int reps) { return {"memory", "gpu0", "triad", "GB/s", reps, rate_gb_per_s, {{"bytes", 1000}}}; }

class Harness : public ::testing::Test {
 protected:
  void SetUp() override { clear_interrupt(); }
  void TearDown() override { clear_interrupt(); }
  std::vector<std::string> log;
  test::RecordingSink sink;
};

TEST_F(Harness, ChecksEveryKernelFirstThenInterleavesTheRepetitions) {
  backends::Kernels k;
  k.push_back(std::make_unique<FakeKernel>("a", std::vector<int64_t>{100, 100}, "", log));
  k.push_back(std::make_unique<FakeKernel>("b", std::vector<int64_t>{50, 50}, "", log));
  measure(k, plan(2), sink);
  EXPECT_EQ(log, (std::vector<std::string>{"check a", "check b", "run a", "run b", "run a", "run b"}));
}

TEST_F(Harness, AKernelWhoseCheckFailsIsNeverTimedAndTheBestPassedOneIsTheFigure) {
  backends::Kernels k;
  k.push_back(std::make_unique<FakeKernel>("wrong", std::vector<int64_t>{1, 1, 1}, "element 3 expected 2 got 0", log));
  k.push_back(std::make_unique<FakeKernel>("slow", std::vector<int64_t>{200, 100, 400}, "", log));
  k.push_back(std::make_unique<FakeKernel>("fast", std::vector<int64_t>{50, 100, 25}, "", log));
  const Measured m = measure(k, plan(3), sink);
  for (auto& line : log) EXPECT_NE(line, "run wrong");
  const Result r = to_result(m, plan(3));
  EXPECT_EQ(r.check, kCheckPassed);
  EXPECT_EQ(r.impl, "fast");
  EXPECT_EQ(r.device, "gpu0");
  EXPECT_DOUBLE_EQ(r.value, 20.0);  // median of 1000/50, 1000/100, 1000/25 bytes per ns
  EXPECT_EQ(r.stats.reps, 3u);
  ASSERT_EQ(r.variants.size(), 3u);
  EXPECT_EQ(r.variants[0]["check"], "failed: element 3 expected 2 got 0");
  EXPECT_TRUE(r.variants[0]["samples"].empty());
  EXPECT_EQ(r.variants[2]["lanes"], 4);
  EXPECT_EQ(r.variants[2]["observed"][0]["ghz"], 2.5);
  EXPECT_EQ(sink.samples.size(), 6u);
  for (auto& s : sink.samples) {
    EXPECT_NE(s.impl, "wrong");
    EXPECT_EQ(s.params["device"], "gpu0");
    EXPECT_EQ(s.params["bytes"], 1000);
  }
  ASSERT_EQ(r.timed.size(), 1u);
  EXPECT_LE(r.timed[0].begin_ns, r.timed[0].end_ns);
}

TEST_F(Harness, NoPassedKernelMeansAFailedCheckAndNoFigure) {
  backends::Kernels k;
  k.push_back(std::make_unique<FakeKernel>("wrong", std::vector<int64_t>{1}, "sum expected 8 got 9", log));
  const Result r = to_result(measure(k, plan(1), sink), plan(1));
  EXPECT_TRUE(check_failed(r.check));
  EXPECT_NE(r.check.find("sum expected 8 got 9"), std::string::npos);
  EXPECT_TRUE(std::isnan(r.value));
  EXPECT_TRUE(sink.samples.empty());
}

TEST_F(Harness, AnUnsupportedMeasurementSaysWhyAndHasNoFigure) {
  const Result r = unsupported_result(plan(1), "this driver offers no VK_KHR_cooperative_matrix");
  EXPECT_EQ(r.check, "unsupported: this driver offers no VK_KHR_cooperative_matrix");
  EXPECT_TRUE(std::isnan(r.value));
  EXPECT_EQ(unsupported_result(plan(1), "unsupported: no fp64").check, "unsupported: no fp64");
}

TEST_F(Harness, AStopRequestEndsTheMeasurementWithNoSample) {
  backends::Kernels k;
  k.push_back(std::make_unique<FakeKernel>("a", std::vector<int64_t>{1}, "", log));
  request_interrupt();
  EXPECT_THROW(measure(k, plan(1), sink), Interrupted);
  EXPECT_TRUE(sink.samples.empty());
}

TEST(HarnessRates, GigabytesAndTeraOpsPerSecond) {
  EXPECT_DOUBLE_EQ(rate_gb_per_s(3e9, 1'000'000'000), 3.0);
  EXPECT_DOUBLE_EQ(rate_tera_per_s(2e12, 500'000'000), 4.0);
}

}  // namespace
}  // namespace specgap::harness
