// Two runs figure by figure: matching, the noise rule, and the figures only one run has.
#include <gtest/gtest.h>

#include "analysis/run_diff.h"

namespace specgap::analysis {
namespace {

Result result(std::string suite, std::string name, double median, double cv, double min, double max,
              nlohmann::json params = nlohmann::json::object()) {
  Result r;
  r.suite = std::move(suite);
  r.device = "cpu";
  r.name = std::move(name);
  r.unit = "GB/s";
  r.value = median;
  r.stats = {median, median, min, max, median * cv, cv, 10};
  r.params = std::move(params);
  return r;
}

TEST(DiffRuns, FlagsOnlyChangesBeyondTheNoise) {
  RunRecord a, b;
  a.results = {result("memory", "triad", 80, 0.01, 79, 81, {{"threads", 2}}),
               result("memory", "copy", 80, 0.10, 70, 90, {{"threads", 2}}),
               result("memory", "read", 50, 0.01, 49, 51, {{"threads", 2}})};
  b.results = {result("memory", "triad", 48, 0.01, 47, 49, {{"threads", 2}}),   // the bimodal host: a real drop
               result("memory", "copy", 88, 0.10, 78, 95, {{"threads", 2}}),    // +10% inside a 10% CV: noise
               result("memory", "write", 30, 0.01, 29, 31, {{"threads", 2}})};
  const auto d = diff_runs(a, b);
  ASSERT_EQ(d.size(), 4u);
  EXPECT_EQ(d[0].figure, "memory triad 2 threads");
  EXPECT_EQ(d[0].verdict, "lower");
  EXPECT_NEAR(d[0].change, -0.4, 1e-12);
  EXPECT_NEAR(d[0].noise, 0.02, 1e-12);
  EXPECT_EQ(d[1].verdict, "same (within noise)");
  EXPECT_EQ(d[2].verdict, "only in A");
  EXPECT_EQ(d[3].verdict, "only in B");
}

TEST(DiffRuns, OverlappingRangesAreTheSameEvenWithATightCv) {
  RunRecord a, b;
  a.results = {result("memory", "triad", 80, 0.001, 60, 81)};
  b.results = {result("memory", "triad", 70, 0.001, 69, 79)};
  EXPECT_EQ(diff_runs(a, b)[0].verdict, "same (within noise)");
}

// One or two repetitions have no spread to measure noise by (a CV of 0): a change between them is not
// judged, and says why, rather than flagged however small.
TEST(DiffRuns, FewerThanThreeRepetitionsAreNotJudged) {
  RunRecord a, b;
  a.results = {result("llm", "tg16", 9.5, 0, 9.5, 9.5), result("memory", "triad", 80, 0.01, 79, 81)};
  b.results = {result("llm", "tg16", 9.0, 0, 9.0, 9.0), result("memory", "triad", 40, 0.01, 39, 41)};
  a.results[0].stats.reps = b.results[0].stats.reps = 1;
  b.results[1].stats.reps = 2;
  for (const auto& c : diff_runs(a, b)) {
    EXPECT_EQ(c.verdict, "not judged") << c.figure;
    EXPECT_NE(c.why.find("fewer than 3 repetitions"), std::string::npos) << c.why;
  }
}

TEST(DiffRuns, DifferentShapesThreadsAndFailedChecksDoNotMatchAsEqual) {
  RunRecord a, b;
  a.results = {result("compute", "gemm", 100, 0.01, 99, 101, {{"m", 1024}, {"n", 1024}, {"k", 1024}}),
               result("memory", "triad", 80, 0.01, 79, 81, {{"threads", 1}})};
  b.results = {result("compute", "gemm", 200, 0.01, 199, 201, {{"m", 4096}, {"n", 4096}, {"k", 4096}}),
               result("memory", "triad", 80, 0.01, 79, 81, {{"threads", 2}})};
  EXPECT_EQ(diff_runs(a, b).size(), 4u);  // nothing matched

  RunRecord c = a, e = a;
  e.results[1].check = "failed: wrong sum";
  const auto d = diff_runs(c, e);
  EXPECT_EQ(d[1].verdict, "not comparable");
}

}  // namespace
}  // namespace specgap::analysis
