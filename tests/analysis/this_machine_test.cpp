// This machine's ceilings from its own results: only arrays of at least 4x the last-level cache are
// DRAM bandwidth (STREAM's sizing rule), so a run with a small --size measures a cache, and says so.
#include <gtest/gtest.h>

#include "analysis/findings.h"
#include "analysis/this_machine.h"

namespace specgap::analysis {
namespace {

Result bandwidth(std::string name, double gbs, uint64_t array_bytes) {
  Result r;
  r.suite = "memory";
  r.device = "cpu";
  r.name = std::move(name);
  r.value = gbs;
  r.unit = "GB/s";
  r.impl = "avx2";
  r.params = {{"array_bytes", array_bytes}, {"threads", 16}};
  r.stats.median = gbs;
  return r;
}

// Two 16 MiB L3 instances: 32 MiB of last-level cache, so DRAM arrays are 128 MiB and more.
const nlohmann::json kMachine = {
    {"cpu",
     {{"model_name", "Test Corp Widget 9000"},
      {"caches",
       {{{"level", 1}, {"type", "instruction"}, {"size_bytes", 1 << 30}, {"instances", 16}},
        {{"level", 2}, {"type", "unified"}, {"size_bytes", 1 << 20}, {"instances", 16}},
        {{"level", 3}, {"type", "unified"}, {"size_bytes", 16 << 20}, {"instances", 2}}}}}},
    {"memory", {{"total_bytes", 64e9}}}};

TEST(ThisMachine, OnlyArraysOfFourTimesTheLastLevelCacheAreDramBandwidth) {
  const std::vector<Result> results = {bandwidth("read", 500, 4096), bandwidth("triad", 150, 64 << 20),
                                       bandwidth("copy", 80, 128 << 20)};
  const auto f = machine_figures(results, kMachine);
  ASSERT_TRUE(f.bandwidth_gbs);
  EXPECT_DOUBLE_EQ(f.bandwidth_gbs->value, 80) << f.bandwidth_gbs->how;
}

TEST(ThisMachine, ATinyArrayIsNoBandwidthAndTheFindingsSaySo) {
  RunRecord run;
  run.machine = kMachine;
  run.results = {bandwidth("read", 500, 4096)};
  EXPECT_FALSE(machine_figures(run.results, run.machine).bandwidth_gbs);
  const auto f = audit_findings(run, {});
  EXPECT_TRUE(f["roofline"]["points"].empty());
  EXPECT_TRUE(f["ranking"]["rows"].empty());
  bool said = false;
  for (const auto& a : f["advice"]) said |= a.get<std::string>().find("4x the last-level cache (32 MiB)") != std::string::npos;
  EXPECT_TRUE(said) << f["advice"].dump();
}

}  // namespace
}  // namespace specgap::analysis
