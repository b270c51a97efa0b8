// summarize() and median(): the one module of statistics, with its edge cases as documented in
// core/stats.h (empty, single sample, zero mean).
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/stats.h"

namespace specgap {
namespace {

Stats summary_of(const std::vector<double>& v) { return summarize(std::span<const double>(v)); }

TEST(Summarize, OddCountMedianIsTheMiddleValue) {
  const Stats s = summary_of({5, 1, 4, 2, 3});
  EXPECT_EQ(s.median, 3);
  EXPECT_EQ(s.reps, 5u);
}

TEST(Summarize, EvenCountMedianIsTheMeanOfTheTwoMiddleValues) {
  EXPECT_EQ(summary_of({4, 1, 3, 2}).median, 2.5);
  EXPECT_EQ(summary_of({10, 1}).median, 5.5);
  // Unsorted with duplicates around the middle.
  EXPECT_EQ(summary_of({7, 3, 3, 9, 1, 8}).median, 5);
}

TEST(Summarize, MinMaxAndMean) {
  const Stats s = summary_of({3, -2, 10, 5});
  EXPECT_EQ(s.min, -2);
  EXPECT_EQ(s.max, 10);
  EXPECT_DOUBLE_EQ(s.mean, 4);
}

TEST(Summarize, StddevIsTheSampleStddevWithNMinusOne) {
  // 2,4,4,4,5,5,7,9: mean 5, sum of squares 32; n-1 gives sqrt(32/7), n would give 2.
  const Stats s = summary_of({2, 4, 4, 4, 5, 5, 7, 9});
  EXPECT_DOUBLE_EQ(s.mean, 5);
  EXPECT_DOUBLE_EQ(s.stddev, std::sqrt(32.0 / 7.0));
  EXPECT_DOUBLE_EQ(s.cv, std::sqrt(32.0 / 7.0) / 5);
}

TEST(Summarize, SingleSampleHasZeroSpread) {
  const Stats s = summary_of({42});
  EXPECT_EQ(s.reps, 1u);
  EXPECT_EQ(s.median, 42);
  EXPECT_EQ(s.mean, 42);
  EXPECT_EQ(s.min, 42);
  EXPECT_EQ(s.max, 42);
  EXPECT_EQ(s.stddev, 0);
  EXPECT_EQ(s.cv, 0);
}

TEST(Summarize, EmptyInputGivesZeroRepsAndNaNEverywhere) {
  const Stats s = summary_of({});
  EXPECT_EQ(s.reps, 0u);
  EXPECT_TRUE(std::isnan(s.median));
  EXPECT_TRUE(std::isnan(s.mean));
  EXPECT_TRUE(std::isnan(s.min));
  EXPECT_TRUE(std::isnan(s.max));
  EXPECT_TRUE(std::isnan(s.stddev));
  EXPECT_TRUE(std::isnan(s.cv));
}

TEST(Summarize, ZeroMeanMakesCvNaN) {
  const Stats s = summary_of({-1, 1});
  EXPECT_EQ(s.mean, 0);
  EXPECT_DOUBLE_EQ(s.stddev, std::sqrt(2.0));
  EXPECT_TRUE(std::isnan(s.cv));
  EXPECT_TRUE(std::isnan(summary_of({0, 0, 0}).cv));
}

TEST(Summarize, DoesNotReorderTheCallersSamples) {
  const std::vector<double> v = {3, 1, 2};
  summary_of(v);
  EXPECT_EQ(v, (std::vector<double>{3, 1, 2}));
}

TEST(Median, EmptyIsNaNAndOtherwiseMatchesSummarize) {
  EXPECT_TRUE(std::isnan(median(std::span<const double>{})));
  const std::vector<double> v = {9, 2, 7, 4};
  EXPECT_EQ(median(v), 5.5);
  EXPECT_EQ(median(v), summary_of(v).median);
}

}  // namespace
}  // namespace specgap
