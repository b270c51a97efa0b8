// find_plateaus on synthetic curves: clean levels with transitions, names from capacities or by
// number, blips dropped, same-name neighbours merged, and names that only ever move outward.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "core/units.h"
#include "suites/memory/plateaus.h"

namespace specgap::suites {
namespace {

// L1 at 200 up to 32 KiB, L2 at 100 up to 256 KiB, DRAM at 20 beyond, with one transition point
// between each pair of levels.
std::vector<CurvePoint> three_levels() {
  return {{16 * KiB, 200}, {24 * KiB, 202}, {32 * KiB, 198},                                       // L1
          {48 * KiB, 150},                                                                         // transition
          {64 * KiB, 100}, {96 * KiB, 101}, {128 * KiB, 99}, {192 * KiB, 100}, {256 * KiB, 102},   // L2
          {384 * KiB, 60},                                                                         // transition
          {512 * KiB, 20}, {768 * KiB, 21}, {1 * MiB, 20}, {2 * MiB, 19}};                         // DRAM
}

const std::vector<LevelCapacity> kL1L2 = {{"L1", 32 * KiB}, {"L2", 256 * KiB}};

// Where a name sits in the outward order L1 < L2 < L3 < DRAM.
int depth(const std::string& level) {
  const std::vector<std::string> order = {"L1", "L2", "L3", "DRAM"};
  const auto it = std::find(order.begin(), order.end(), level);
  return it == order.end() ? -1 : int(it - order.begin());
}

TEST(FindPlateaus, ThreeCleanLevelsNamedFromCapacities) {
  const auto curve = three_levels();
  const auto p = find_plateaus(curve, kL1L2);
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0].level, "L1");
  EXPECT_EQ(p[0].from_bytes, 16 * KiB);
  EXPECT_EQ(p[0].to_bytes, 32 * KiB);
  EXPECT_EQ(p[0].points, 3u);
  EXPECT_EQ(p[0].value, 200);

  EXPECT_EQ(p[1].level, "L2");
  EXPECT_EQ(p[1].from_bytes, 64 * KiB);
  EXPECT_EQ(p[1].to_bytes, 256 * KiB);
  EXPECT_EQ(p[1].points, 5u);
  EXPECT_EQ(p[1].value, 100);

  EXPECT_EQ(p[2].level, "DRAM");
  EXPECT_EQ(p[2].from_bytes, 512 * KiB);
  EXPECT_EQ(p[2].to_bytes, 2 * MiB);
  EXPECT_EQ(p[2].points, 4u);
  EXPECT_EQ(p[2].value, 20);  // median of 20, 21, 20, 19
}

TEST(FindPlateaus, TransitionPointsBelongToNoPlateau) {
  const auto curve = three_levels();
  for (const auto& p : find_plateaus(curve, kL1L2)) {
    for (uint64_t transition : {48 * KiB, 384 * KiB})
      EXPECT_FALSE(p.from_bytes <= transition && transition <= p.to_bytes) << p.level << " holds " << transition;
  }
}

TEST(FindPlateaus, WithoutCapacitiesPlateausAreNumbered) {
  const auto curve = three_levels();
  const auto p = find_plateaus(curve, {});
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0].level, "plateau 1");
  EXPECT_EQ(p[1].level, "plateau 2");
  EXPECT_EQ(p[2].level, "plateau 3");
  EXPECT_EQ(p[1].value, 100);
}

TEST(FindPlateaus, SinglePointBlipIsDropped) {
  // A spike between two plateaus and a dip inside one: neither becomes a plateau or moves a value.
  const std::vector<CurvePoint> curve = {{16 * KiB, 200}, {24 * KiB, 200}, {32 * KiB, 200},
                                         {48 * KiB, 900},  // spike
                                         {64 * KiB, 100}, {96 * KiB, 100}, {128 * KiB, 100},
                                         {192 * KiB, 5},   // dip
                                         {256 * KiB, 100}, {384 * KiB, 100}};
  const auto p = find_plateaus(curve, {});
  ASSERT_FALSE(p.empty());
  for (const auto& plateau : p) {
    EXPECT_GE(plateau.points, 2u) << plateau.level;
    EXPECT_TRUE(plateau.value == 200 || plateau.value == 100) << plateau.level << " " << plateau.value;
    for (uint64_t blip : {48 * KiB, 192 * KiB})
      EXPECT_FALSE(plateau.from_bytes <= blip && blip <= plateau.to_bytes) << plateau.level << " holds " << blip;
  }
  EXPECT_EQ(p.front().value, 200);
  EXPECT_EQ(p.back().value, 100);
  EXPECT_EQ(p.back().to_bytes, 384 * KiB);
}

TEST(FindPlateaus, NeighboursWithTheSameNameAreMerged) {
  // Two DRAM plateaus (say, with and without TLB misses) past every capacity: one DRAM plateau.
  const std::vector<CurvePoint> curve = {{16 * KiB, 200}, {24 * KiB, 200},                       // L1
                                         {1 * MiB, 20},   {2 * MiB, 20},   {4 * MiB, 20},         // DRAM
                                         {8 * MiB, 14},   {16 * MiB, 14},  {32 * MiB, 14}};       // DRAM again
  const auto p = find_plateaus(curve, kL1L2);
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].level, "L1");
  EXPECT_EQ(p[1].level, "DRAM");
  EXPECT_EQ(p[1].from_bytes, 1 * MiB);
  EXPECT_EQ(p[1].to_bytes, 32 * MiB);
  EXPECT_EQ(p[1].points, 6u);
  EXPECT_EQ(p[1].value, 17);  // median of 20, 20, 20, 14, 14, 14
}

TEST(FindPlateaus, BogusHugeLastLevelStillNamesEveryPlateauOutward) {
  // A VM reporting a 1 TiB L3: the curve still has four levels, and no name may move inward.
  const std::vector<LevelCapacity> levels = {{"L1", 32 * KiB}, {"L2", 256 * KiB}, {"L3", 1024 * GiB}};
  const std::vector<CurvePoint> curve = {{16 * KiB, 200}, {32 * KiB, 200},                   // L1
                                         {64 * KiB, 100}, {128 * KiB, 100}, {256 * KiB, 100}, // L2
                                         {1 * MiB, 50},   {2 * MiB, 50},    {4 * MiB, 50},     // L3
                                         {16 * MiB, 20},  {32 * MiB, 20},   {64 * MiB, 20}};   // DRAM
  const auto p = find_plateaus(curve, levels);
  ASSERT_GE(p.size(), 3u);
  EXPECT_EQ(p[0].level, "L1");
  EXPECT_EQ(p[1].level, "L2");
  EXPECT_FALSE(p.back().level.empty());
  EXPECT_GE(depth(p.back().level), depth("L3")) << p.back().level;
  for (size_t i = 0; i < p.size(); ++i) {
    EXPECT_GE(depth(p[i].level), 0) << "unknown name " << p[i].level;
    if (i > 0) {
      EXPECT_GT(depth(p[i].level), depth(p[i - 1].level)) << p[i - 1].level << " then " << p[i].level;
    }
  }
  EXPECT_EQ(p.back().to_bytes, 64 * MiB);
}

TEST(FindPlateaus, FirstPointDecidesTheLevel) {
  // A plateau that starts inside L2 is L2 even though it runs on past L2's capacity.
  const std::vector<CurvePoint> curve = {{16 * KiB, 200}, {32 * KiB, 200},
                                         {128 * KiB, 100}, {256 * KiB, 100}, {512 * KiB, 100}};
  const auto p = find_plateaus(curve, kL1L2);
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[1].level, "L2");
  EXPECT_EQ(p[1].to_bytes, 512 * KiB);
}

TEST(FindPlateaus, EmptyAndOnePointCurvesHaveNoPlateau) {
  EXPECT_TRUE(find_plateaus(std::span<const CurvePoint>{}, kL1L2).empty());
  const std::vector<CurvePoint> one = {{16 * KiB, 5}};
  EXPECT_TRUE(find_plateaus(one, kL1L2).empty());
}

TEST(FindPlateaus, ToleranceDecidesWhatIsFlat) {
  // 10% steps: one plateau at 15% tolerance, separate ones at 5%.
  const std::vector<CurvePoint> curve = {{16 * KiB, 100}, {32 * KiB, 110}, {64 * KiB, 100}, {128 * KiB, 110}};
  EXPECT_EQ(find_plateaus(curve, {}, 0.15).size(), 1u);
  EXPECT_EQ(find_plateaus(curve, {}, 0.05).size(), 0u);  // every point alone: all transitions
}

TEST(PlateauResult, RecordsTheLevelAndRange) {
  const Plateau p{"L2", 64 * KiB, 256 * KiB, 99.5, 5};
  const Result r = plateau_result("triad", "GB/s", "avx2", p);
  EXPECT_EQ(r.suite, "memory");
  EXPECT_EQ(r.device, "cpu");
  EXPECT_EQ(r.name, "triad");
  EXPECT_EQ(r.unit, "GB/s");
  EXPECT_EQ(r.impl, "avx2");
  EXPECT_EQ(r.value, 99.5);
  EXPECT_EQ(r.stats.median, 99.5);
  EXPECT_EQ(r.stats.reps, 5u);
  EXPECT_EQ(r.params["kind"], "plateau");
  EXPECT_EQ(r.params["level"], "L2");
  EXPECT_EQ(r.params["from_bytes"], 64 * KiB);
  EXPECT_EQ(r.params["to_bytes"], 256 * KiB);
  EXPECT_EQ(r.params["points"], 5);
}

}  // namespace
}  // namespace specgap::suites
