// The pointer chase's order: one cycle through every node, the same for one seed on every device.
#include "core/random_cycle.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace specgap {
namespace {

TEST(RandomCycle, VisitsEveryNodeOnceInOneCycle) {
  for (size_t n : {1u, 2u, 3u, 1000u}) {
    std::vector<uint32_t> order(n);
    random_cycle(order, 5);
    std::vector<int> seen(n, 0);
    for (uint32_t node : order) ++seen.at(node);
    EXPECT_EQ(std::count(seen.begin(), seen.end(), 1), ptrdiff_t(n)) << n;
  }
}

TEST(RandomCycle, TheSeedChoosesTheOrder) {
  std::vector<uint32_t> a(64), b(64), c(64);
  random_cycle(a, 1);
  random_cycle(b, 1);
  random_cycle(c, 2);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
}

}  // namespace
}  // namespace specgap
