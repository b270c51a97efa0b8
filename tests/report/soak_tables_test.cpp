// The soak's table (a row per interval with the telemetry beside it, its sparkline and conclusion)
// and the telemetry table (power per result, or what was sampled and what is missing).
#include <gtest/gtest.h>

#include "report/render.h"
#include "report/soak_tables.h"

namespace specgap::report {
namespace {

TEST(Sparkline, ScalesFromZeroSoATenPercentFallShowsAsOneBar) {
  EXPECT_EQ(sparkline({100, 100, 90, 0}), "██▇▁");
  EXPECT_EQ(sparkline({}), "");
  EXPECT_EQ(sparkline({std::nan(""), 5}), " █");
}

Result soak_result() {
  Result r;
  r.suite = "soak";
  r.name = "gemm";
  r.unit = "GFLOP/s";
  r.impl = "onednn fp32 2048^3";
  r.params = {{"interval_seconds", 10.0},
              {"conclusion", "performance fell in interval 2"},
              {"intervals",
               {{{"interval", 1}, {"t_start", 0.0}, {"work", 1000.0}, {"busy_seconds", 10.0},
                 {"add_chain_clock_mhz", 4400.0},
                 {"telemetry", {{"cpu.freq_mean_mhz", 4390.0}, {"hwmon.k10temp.tctl_c", 80.0},
                                {"rapl.package-0_w", 150.0}, {"cpu.util_pct", 100.0}, {"cpu.steal_pct", 0.5}}}},
                {{"interval", 2}, {"t_start", 10.0}, {"work", 600.0}, {"busy_seconds", 10.0},
                 {"telemetry", {{"gpu0.sm_clock_mhz", 1100.0}, {"gpu0.power_w", 690.0}}}}}}};
  return r;
}

TEST(SoakTable, ARowPerIntervalWithItsRateAndTelemetry) {
  const Table t = soak_table(soak_result());
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[0], (std::vector<std::string>{"1", "0", "100.0", "4400", "4390", "-", "80", "150", "100", "0"}));
  EXPECT_EQ(t.rows[1], (std::vector<std::string>{"2", "10", "60.00", "-", "-", "1100", "-", "690", "-", "-"}));
  EXPECT_EQ(t.notes[0], "gemm █▅  (2 intervals of 10 s)");
  EXPECT_EQ(t.notes[1], "conclusion: performance fell in interval 2");
}

TEST(TelemetryTable, PowerPerResultWhereReadableAndWhatIsMissingWhereNot) {
  RunRecord run;
  run.telemetry = {10, {"rapl"}, {"NVIDIA GPUs: no libnvidia-ml.so.1"}};
  Result r = soak_result();
  r.params["power"] = {{"mean_w", 150.0}, {"efficiency", 2.0}, {"efficiency_unit", "GFLOP/s per W"}};
  run.results = {r};
  Table with = telemetry_table(run);
  ASSERT_EQ(with.rows.size(), 1u);
  EXPECT_EQ(with.rows[0], (std::vector<std::string>{"soak gemm", "150.0", "2.00 GFLOP/s per W"}));
  EXPECT_EQ(with.notes, std::vector<std::string>{"not available here: NVIDIA GPUs: no libnvidia-ml.so.1"});

  run.results[0].params["power"] = {{"available", false}, {"why", "no power reading here"}};
  Table without = telemetry_table(run);
  EXPECT_EQ(without.title, "Telemetry");
  ASSERT_EQ(without.rows.size(), 3u);
  EXPECT_EQ(without.rows[1][0], "not available here: NVIDIA GPUs: no libnvidia-ml.so.1");
  EXPECT_EQ(without.rows[2][0], "power: not readable here, so no perf per watt");

  run.telemetry.hz = 0;
  EXPECT_EQ(telemetry_table(run).title, "") << "sampling off and no power: no table";
}

}  // namespace
}  // namespace specgap::report
