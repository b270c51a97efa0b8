// The GEMM suite at tiny shapes: one result per dtype naming the best library and shape, every
// (library, shape) kept, FLOPs counted as 2*m*n*k per call, and refusals reported with reasons.
#include <gtest/gtest.h>

#include <cmath>

#include "backends/cpu/cpu_device.h"
#include "support/recording_sink.h"
#include "suites/compute/gemm.h"

namespace specgap::suites {
namespace {

GemmConfig tiny(std::vector<Dtype> dtypes, std::vector<std::string> libraries) {
  GemmConfig c;
  c.dtypes = std::move(dtypes);
  c.libraries = std::move(libraries);
  c.shapes = {{16, 32, 8}, {33, 65, 17}};
  c.reps = 2;
  c.rep_seconds = 0.001;
  return c;
}

std::vector<Result> measure_gemm(const GemmConfig& c, RunSink& sink) {
  const auto cpu = cpu::make_cpu_device(Machine{});
  return suites::measure_gemm(*cpu, c, sink);
}

TEST(GemmSuite, RatesCountTwoMNKPerCall) {
  test::RecordingSink sink;
  const auto results = measure_gemm(tiny({Dtype::fp32}, {"openblas"}), sink);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].check, kCheckPassed);
  ASSERT_EQ(sink.samples.size(), 4u);  // 2 shapes x 2 reps
  for (const auto& s : sink.samples) {
    const double flop = 2.0 * s.params["m"].get<double>() * s.params["n"].get<double>() * s.params["k"].get<double>();
    const double calls = s.params["work"].get<double>() / flop;
    EXPECT_GE(calls, 1);
    EXPECT_DOUBLE_EQ(calls, std::round(calls)) << "the work is whole calls of 2*m*n*k";
    const double expected = s.params["work"].get<double>() / (s.params["ns"].get<double>() * 1e-9) / 1e12;
    EXPECT_NEAR(s.value, expected, expected * 1e-12);
    EXPECT_EQ(s.unit, "TFLOP/s");
  }
}

TEST(GemmSuite, TheBestLibraryAndShapeIsTheFigureAndTheSweepIsKept) {
  test::RecordingSink sink;
  const auto r = measure_gemm(tiny({Dtype::fp32}, {"onednn", "openblas"}), sink).front();
  EXPECT_EQ(r.name, "gemm");
  EXPECT_EQ(r.dtype, "fp32");
  ASSERT_EQ(r.variants.size(), 4u);  // 2 libraries x 2 shapes (no child: no worker binary given)
  double best = 0;
  for (auto& v : r.variants) {
    EXPECT_EQ(v["check"], kCheckPassed) << v.dump();
    best = std::max(best, v["stats"]["median"].get<double>());
  }
  EXPECT_DOUBLE_EQ(r.value, best);
  EXPECT_TRUE(r.impl == "onednn" || r.impl == "openblas") << r.impl;
  EXPECT_FALSE(r.params["kernel"].get<std::string>().empty());
}

TEST(GemmSuite, ADtypeNoLibraryRunsIsUnsupportedWithEachLibrarysReason) {
  test::RecordingSink sink;
  const auto r = measure_gemm(tiny({Dtype::bf16}, {"openblas"}), sink).front();
  EXPECT_EQ(r.check.rfind("unsupported: openblas: ", 0), 0u) << r.check;
  EXPECT_TRUE(std::isnan(r.value));
  EXPECT_TRUE(sink.samples.empty());
}

}  // namespace
}  // namespace specgap::suites
