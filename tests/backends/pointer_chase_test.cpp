// PointerChase lays one random cycle over every cache line of its working set: a chase of k loads
// ends where the order kept aside says, and following the pointers visits every node once.
#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <vector>

#include "backends/cpu/pointer_chase.h"

namespace specgap::cpu {
namespace {

const size_t kSizes[] = {0, 64, 128, 4096, 100'000, 1 << 20};

// The nodes in visiting order, from the first node, by following the stored pointers.
std::vector<const void*> walk(const PointerChase& chase, size_t steps) {
  std::vector<const void*> order;
  const void* p = chase.chase(0);
  for (size_t i = 0; i < steps; ++i) {
    order.push_back(p);
    p = *static_cast<const void* const*>(p);
  }
  order.push_back(p);
  return order;
}

TEST(PointerChase, NodesAreCacheLinesOfTheWorkingSet) {
  EXPECT_EQ(PointerChase(4096, 1).nodes(), 64u);
  EXPECT_EQ(PointerChase(4096, 1).bytes(), 4096u);
  EXPECT_EQ(PointerChase(1 << 20, 1).nodes(), size_t(1 << 20) / kChaseStride);
  // Too small for a cycle: two nodes at least.
  EXPECT_EQ(PointerChase(0, 1).nodes(), 2u);
  EXPECT_EQ(PointerChase(64, 1).nodes(), 2u);
}

TEST(PointerChase, ChaseEndsWhereTheOrderSays) {
  for (size_t bytes : kSizes) {
    const PointerChase chase(bytes, 42 + bytes);
    const size_t n = chase.nodes();
    for (size_t k : {size_t{0}, size_t{1}, size_t{2}, size_t{7}, size_t{8}, size_t{9}, size_t{17}, n - 1, n, n + 1,
                     3 * n + 5, size_t{100'003}}) {
      EXPECT_EQ(chase.chase(k), chase.expected_after(k)) << "bytes " << bytes << " loads " << k;
    }
  }
}

TEST(PointerChase, OneCycleThroughEveryNode) {
  for (size_t bytes : kSizes) {
    const PointerChase chase(bytes, 7 + bytes);
    const size_t n = chase.nodes();
    const auto order = walk(chase, n);
    const std::set<const void*> distinct(order.begin(), order.end() - 1);
    EXPECT_EQ(distinct.size(), n) << "bytes " << bytes << ": the walk revisits a node before the lap ends";
    EXPECT_EQ(order.back(), order.front()) << "bytes " << bytes << ": the walk does not close after " << n << " loads";
    // Every node is a cache line of one working set of nodes * 64 bytes.
    const auto* lo = static_cast<const char*>(*distinct.begin());
    const auto* hi = static_cast<const char*>(*distinct.rbegin());
    EXPECT_EQ(size_t(hi - lo), (n - 1) * kChaseStride) << "bytes " << bytes;
    for (const void* p : distinct) EXPECT_EQ((static_cast<const char*>(p) - lo) % kChaseStride, 0) << bytes;
    // The order is random, not a sequential stride the prefetchers would follow.
    if (n >= 64) {
      size_t sequential = 0;
      for (size_t i = 0; i + 1 < n; ++i)
        sequential += static_cast<const char*>(order[i + 1]) - static_cast<const char*>(order[i]) == kChaseStride;
      EXPECT_LT(sequential, n / 4) << "bytes " << bytes;
    }
  }
}

// The same seed lays the same order (as offsets from the first node); another seed lays another.
TEST(PointerChase, SeedMakesTheOrderReproducible) {
  auto offsets = [](const PointerChase& chase) {
    const auto order = walk(chase, chase.nodes());
    std::vector<std::ptrdiff_t> out;
    for (const void* p : order) out.push_back(static_cast<const char*>(p) - static_cast<const char*>(order[0]));
    return out;
  };
  const PointerChase a(64 * 1024, 5), b(64 * 1024, 5), c(64 * 1024, 6);
  EXPECT_EQ(offsets(a), offsets(b));
  EXPECT_NE(offsets(a), offsets(c));
}

}  // namespace
}  // namespace specgap::cpu
