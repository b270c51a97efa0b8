// Decode's fraction of the read bandwidth, paired with the samples around each repetition.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "suites/llm/llm_bench.h"

namespace specgap::suites {
namespace {

TEST(PairedReadFraction, EachRepetitionAgainstTheMeanOfTheSamplesAroundIt) {
  // 1 GB a token. Rep 0: 30 t/s between 40 and 20 GB/s (mean 30): 1.0. Rep 1: 15 t/s between 20 and
  // 30 (25): 0.6. Rep 2: 20 t/s between 30 and 50 (40): 0.5. Median 0.6; median over median would
  // give 20 x 1 / 30 = 0.667.
  EXPECT_DOUBLE_EQ(paired_read_fraction({30, 15, 20}, {40, 20, 30, 50}, 1e9), 0.6);
}

TEST(PairedReadFraction, AMissingSampleLeavesTheOtherNeighbour) {
  // Rep 0 has only the sample after it (30): 0.5; rep 1 only the one before it.
  EXPECT_DOUBLE_EQ(paired_read_fraction({15, 15}, {std::nan(""), 30, std::nan("")}, 1e9), 0.5);
  // No sample at all: no fraction.
  EXPECT_TRUE(std::isnan(paired_read_fraction({15}, {std::nan(""), std::nan("")}, 1e9)));
  EXPECT_TRUE(std::isnan(paired_read_fraction({15}, {}, 1e9)));
}

}  // namespace
}  // namespace specgap::suites
