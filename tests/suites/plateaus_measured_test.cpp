// find_plateaus on latency curves measured on this project's Zen 5 VM, whose CPUID reports a 508 MiB
// L3 per core (the real slice is a few MiB): the curve, not the reported capacity, must decide where
// memory starts, and every level must still be found in order.
#include <gtest/gtest.h>

#include <vector>

#include "core/units.h"
#include "suites/memory/plateaus.h"

namespace specgap::suites {
namespace {

const std::vector<LevelCapacity> kVmLevels = {{"L1", 48 * KiB}, {"L2", 1 * MiB}, {"L3", 508 * MiB}};

// Points two per doubling from `start` bytes, as the sweeps take them.
std::vector<CurvePoint> curve(const std::vector<double>& values, double start = 16 * KiB) {
  std::vector<CurvePoint> c;
  double bytes = start;
  for (double v : values) {
    c.push_back({uint64_t(bytes), v});
    bytes *= 1.41421356;
  }
  return c;
}

std::vector<std::string> names(const std::vector<Plateau>& p) {
  std::vector<std::string> n;
  for (auto& x : p) n.push_back(x.level);
  return n;
}

TEST(FindPlateausMeasured, VmLatencyCurveWithGradualTransitions) {
  const auto c = curve({1.26, 1.31, 1.57, 3.49, 4.25, 4.32, 4.32, 4.22, 4.37, 4.86, 8.27, 8.83, 13.16, 15.04, 16.2,
                        17.03, 17.85, 141.0, 151.2, 158.4, 164.5, 178.1, 186.1, 210.1, 209.8, 239.7, 260.6, 274.0,
                        305.9, 352.6, 407.8, 443.3, 570.6});
  const auto p = find_plateaus(c, kVmLevels);
  const std::vector<std::string> expected = {"L1", "L2", "L3", "DRAM"};
  ASSERT_EQ(names(p), expected);
  EXPECT_NEAR(p[1].value, 4.3, 0.1);
  EXPECT_GT(p[2].value, 8);
  EXPECT_LT(p[2].value, 20);
  EXPECT_GT(p[3].value, 140);
}

TEST(FindPlateausMeasured, VmLatencyCurveWithSharpEdges) {
  const auto c = curve({1.24, 1.24, 1.24, 1.24, 4.31, 4.30, 4.34, 4.35, 4.35, 4.36, 4.94, 7.38, 9.85, 15.32, 15.74,
                        17.51, 19.60, 21.30, 146.1, 144.9, 158.5, 166.2, 182.2, 193.7, 224.3, 224.3, 250.5, 278.5,
                        334.1, 326.8, 359.0, 362.4, 395.1});
  const auto p = find_plateaus(c, kVmLevels);
  const std::vector<std::string> expected = {"L1", "L2", "L3", "DRAM"};
  ASSERT_EQ(names(p), expected);
  EXPECT_NEAR(p[0].value, 1.24, 0.01);
  EXPECT_EQ(p[0].to_bytes, c[3].bytes);
  EXPECT_GT(p[3].value, 140);
}

TEST(FindPlateausMeasured, VmReadSweepDeclinesSlowlyIntoMemory) {
  // 2-thread read bandwidth from 2.8 MiB on: L3 near 175 GB/s, then memory at 80 and later 52 GB/s.
  const std::vector<double> gbps = {186.3, 176.5, 169.8, 156.7, 173.2, 177.2, 189.7, 180.5, 161.0, 140.6, 91.41,
                                    77.75, 81.55, 80.71, 60.01, 50.22, 52.68, 52.99, 53.26, 50.19, 53.70};
  const auto c = curve(gbps, 2.828 * MiB);
  const std::vector<LevelCapacity> levels = {{"L1", 96 * KiB}, {"L2", 2 * MiB}, {"L3", 1016 * MiB}};
  const auto p = find_plateaus(c, levels);
  const std::vector<std::string> expected = {"L3", "DRAM"};
  ASSERT_EQ(names(p), expected);
  EXPECT_GT(p[0].value, 150);
  EXPECT_LT(p[1].value, 90);
  EXPECT_LE(p[0].to_bytes, 64 * MiB);
}

}  // namespace
}  // namespace specgap::suites
