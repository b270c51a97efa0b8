// The soak's conclusion on synthetic timelines: a machine that holds, one that throttles (and the
// telemetry that says why), one that is only noisy, and the line for a soak that never finished.
#include <gtest/gtest.h>

#include "analysis/efficiency.h"
#include "analysis/soak.h"
#include "analysis/telemetry_channels.h"

namespace specgap::analysis {
namespace {

// Intervals of 10 s with the given rates; add-chain clocks when given.
std::vector<SoakInterval> intervals(const std::vector<double>& rates, const std::vector<double>& clocks = {}) {
  std::vector<SoakInterval> v;
  for (size_t i = 0; i < rates.size(); ++i) {
    SoakInterval in{double(i) * 10, double(i + 1) * 10, rates[i], std::nullopt};
    if (i < clocks.size()) in.clock_mhz = clocks[i];
    v.push_back(in);
  }
  return v;
}

// Ticks at 1 Hz over [0, seconds), each made by `at(t)`.
template <typename F>
std::vector<TelemetryTick> timeline(int seconds, F&& at) {
  std::vector<TelemetryTick> ticks;
  for (int t = 0; t < seconds; ++t) ticks.push_back({double(t), at(double(t))});
  return ticks;
}

TEST(Soak, AMachineThatHoldsHasNoDropAndARatioNearOne) {
  const auto c = conclude_soak(intervals({100, 101, 99, 100, 102, 100, 99, 101, 100, 100, 101, 99}), {}, "GFLOP/s");
  EXPECT_FALSE(c.drop);
  EXPECT_NEAR(c.ratio, 1.0, 0.02);
  EXPECT_NEAR(c.first_minute, 100, 1);
  EXPECT_LT(c.cv, 0.02);
  EXPECT_EQ(c.summary.rfind("held:", 0), 0u) << c.summary;
}

TEST(Soak, OneSlowIntervalOnASharedHostIsNotAThrottle) {
  const auto c = conclude_soak(intervals({100, 100, 100, 100, 100, 100, 100, 60, 100, 100, 100, 100}), {}, "GB/s");
  EXPECT_FALSE(c.drop) << c.summary;
  EXPECT_NEAR(c.ratio, 1.0, 1e-9);
}

TEST(Soak, AThermalThrottleIsFoundAtItsIntervalWithTheClockAndTheTemperature) {
  // Two minutes: full speed for 70 s, then the cores clock down at their temperature limit.
  const auto v = intervals({100, 100, 101, 99, 100, 100, 100, 62, 60, 61, 60, 60},
                           {4400, 4400, 4400, 4400, 4400, 4400, 4400, 2700, 2650, 2650, 2650, 2650});
  const auto ticks = timeline(120, [](double t) {
    return std::map<std::string, double>{{"cpu.freq_mean_mhz", t < 70 ? 4400.0 : 2700.0},
                                         {"hwmon.k10temp.tctl_c", t < 70 ? 70 + t / 3 : 95.0},
                                         {"hwmon.k10temp.tctl_limit_c", 95.0}};
  });
  const auto c = conclude_soak(v, ticks, "GFLOP/s");
  ASSERT_TRUE(c.drop);
  EXPECT_EQ(*c.drop, 7u);
  EXPECT_NEAR(c.ratio, 0.60, 0.01);
  ASSERT_GE(c.why.size(), 3u) << c.summary;
  EXPECT_NE(c.why[0].find("CPU clock fell from 4400 to 2700 MHz"), std::string::npos) << c.why[0];
  EXPECT_NE(c.why[1].find("core clock (add chain)"), std::string::npos) << c.why[1];
  EXPECT_NE(c.why[2].find("hwmon.k10temp.tctl reached 95 C, its limit 95 C"), std::string::npos) << c.why[2];
  EXPECT_NE(c.summary.find("performance fell in interval 8 (from 70 s)"), std::string::npos) << c.summary;
}

TEST(Soak, AGpuThatThrottlesIsNamedWithItsReasonsAndItsPowerCap) {
  const auto v = intervals({500, 500, 500, 500, 500, 500, 300, 300, 300, 300, 300, 300});
  const auto ticks = timeline(120, [](double t) {
    const bool hot = t >= 60;
    return std::map<std::string, double>{{"gpu0.sm_clock_mhz", hot ? 1100.0 : 1980.0},
                                         {"gpu0.power_w", hot ? 699.0 : 650.0},
                                         {"gpu0.power_limit_w", 700.0},
                                         {"gpu0.clocks_event_mask", hot ? double(0x4 | 0x20) : 0.0}};
  });
  const auto c = conclude_soak(v, ticks, "TFLOP/s");
  ASSERT_TRUE(c.drop);
  EXPECT_EQ(*c.drop, 6u);
  const std::string why = c.summary;
  EXPECT_NE(why.find("GPU SM clock fell from 1980 to 1100 MHz"), std::string::npos) << why;
  EXPECT_NE(why.find("gpu0 drew 100% of its 700 W power limit"), std::string::npos) << why;
  EXPECT_NE(why.find("gpu0 sw_power_cap from 60.0 s"), std::string::npos) << why;
  EXPECT_NE(why.find("gpu0 sw_thermal_slowdown from 60.0 s"), std::string::npos) << why;
  EXPECT_EQ(c.throttling.size(), 2u);
}

TEST(Soak, AFallInTheLastIntervalAloneIsNotCalledAFall) {
  EXPECT_FALSE(conclude_soak(intervals({100, 100, 100, 100, 100, 50}), {}, "GB/s").drop);
  EXPECT_TRUE(conclude_soak(intervals({100, 100, 100, 100, 50, 50}), {}, "GB/s").drop);
}

TEST(Soak, StolenTimeOnASharedHostIsNamedAsTheCause) {
  const auto v = intervals({100, 100, 100, 100, 100, 100, 70, 70, 70, 70, 70, 70});
  const auto ticks = timeline(120, [](double t) {
    return std::map<std::string, double>{{"cpu.steal_pct", t < 60 ? 1.0 : 30.0}};
  });
  const auto c = conclude_soak(v, ticks, "GB/s");
  ASSERT_TRUE(c.drop);
  ASSERT_EQ(c.why.size(), 1u) << c.summary;
  EXPECT_EQ(c.why[0], "the hypervisor took 30% of CPU time (steal), against 1% at the start");
}

TEST(Soak, ThrottlingWithoutAFallIsStillReported) {
  const auto ticks = timeline(30, [](double t) {
    return std::map<std::string, double>{{"gpu1.clocks_event_mask", t >= 12 ? double(0x40) : 0.0}};
  });
  const auto c = conclude_soak(intervals({10, 10, 10}), ticks, "GB/s");
  EXPECT_FALSE(c.drop);
  EXPECT_NE(c.summary.find("throttling reported: gpu1 hw_thermal_slowdown from 12.0 s"), std::string::npos)
      << c.summary;
}

TEST(Soak, AShortSoakComparesItsHalvesAndOneIntervalIsTooShortToJudge) {
  const auto c = conclude_soak(intervals({100, 100, 50, 50}), {}, "GB/s");
  EXPECT_DOUBLE_EQ(c.first_minute, 100);
  EXPECT_DOUBLE_EQ(c.sustained, 50);
  ASSERT_TRUE(c.drop);
  EXPECT_EQ(*c.drop, 2u);
  EXPECT_NE(c.summary.find("no cause"), std::string::npos) << "no telemetry: says it saw no cause";
  const auto one = conclude_soak(intervals({100}), {}, "GB/s");
  EXPECT_NE(one.summary.find("too short"), std::string::npos);
  EXPECT_EQ(conclude_soak({}, {}, "GB/s").summary, "no interval completed");
}

TEST(StoppedSoak, AKilledSoakSaysHowLongItRanAndWhatItsLastMinuteShowed) {
  const auto last_minute = timeline(60, [](double t) {
    return std::map<std::string, double>{{"cpu.freq_mean_mhz", 3000 - t * 10},
                                         {"thermal.x86_pkg_temp_c", 90 + t / 10},
                                         {"thermal.x86_pkg_temp_limit_c", 100},
                                         {"rapl.package-0_w", 180}};
  });
  const std::string line = describe_stopped_soak("12:03 UTC", 432, false, last_minute);
  EXPECT_EQ(line.rfind("soak of 12:03 UTC stopped after 7 min 12 s: its process was killed", 0), 0u) << line;
  EXPECT_NE(line.find("last temperature 96 C (limit 100 C)"), std::string::npos) << line;
  EXPECT_NE(line.find("last power 180 W"), std::string::npos) << line;
  EXPECT_NE(line.find("clocks falling"), std::string::npos) << line;
}

TEST(StoppedSoak, ARebootIsToldFromAKillAndMissingTelemetryIsSaid) {
  EXPECT_EQ(describe_stopped_soak("08:00 UTC", 45, true, {}),
            "soak of 08:00 UTC stopped after 45 s: the machine rebooted; no telemetry was stored");
  const auto no_clock = timeline(20, [](double) { return std::map<std::string, double>{{"cpu.util_pct", 100}}; });
  EXPECT_NE(describe_stopped_soak("08:00 UTC", 20, false, no_clock).find("clocks not readable here"),
            std::string::npos);
  // Where the telemetry has no clock, the add chain the soak ran after each interval gives the trend.
  const std::string measured = describe_stopped_soak("08:00 UTC", 60, false, no_clock, {3000, 3010, 2990, 2400, 2380, 2390});
  EXPECT_NE(measured.find("clocks falling (3000 -> 2390 MHz, add chain)"), std::string::npos) << measured;
  EXPECT_NE(describe_stopped_soak("08:00 UTC", 5, false, {}, {2600, 2610}).find("clocks steady (2610 MHz, add chain)"),
            std::string::npos);
}

TEST(Power, TopLevelDomainsAndGpuBoardsAddUpAndPartsAndLimitsDoNot) {
  TelemetryTick t{0, {{"rapl.package-0_w", 100}, {"rapl.package-1_w", 90}, {"rapl.package-0.core_w", 70},
                      {"rapl.psys_w", 250}, {"rapl.package-0_limit_w", 125}, {"gpu0.power_w", 300},
                      {"gpu0.power_limit_w", 700}, {"cpu.util_pct", 100}}};
  EXPECT_DOUBLE_EQ(*power_w(t), 100 + 90 + 300);
  TelemetryTick psys_only{0, {{"rapl.psys_w", 40}}};
  EXPECT_DOUBLE_EQ(*power_w(psys_only), 40);
  EXPECT_FALSE(power_w({0, {{"cpu.util_pct", 50}}}));
}

TEST(Power, AnApusWholeChipPowerIsTheCpuPackagesNotAddedToThem) {
  // amdgpu's APU power holds the CPU cores: counted once, as the package RAPL would measure.
  TelemetryTick apu_only{0, {{"gpu0.soc_power_w", 45}, {"gpu0.soc_power_limit_w", 54}, {"rapl.psys_w", 60}}};
  EXPECT_DOUBLE_EQ(*power_w(apu_only), 45) << "the chip, not the platform around it";
  TelemetryTick with_rapl{0, {{"gpu0.soc_power_w", 45}, {"rapl.package-0_w", 44}, {"gpu1.power_w", 200}}};
  EXPECT_DOUBLE_EQ(*power_w(with_rapl), 44 + 200) << "RAPL's package where root can read it, plus a dGPU";
  EXPECT_DOUBLE_EQ(*power_w({0, {{"gpu0.package_power_w", 80}, {"gpu0.power_w", 120}}}), 120)
      << "an Intel card's package is inside its card power";
}

TEST(Power, AResultGetsItsMeanPowerAndPerWattFigureOrWhyNot) {
  Result r;
  r.value = 400;
  r.unit = "tokens/s";
  const std::vector<TelemetryTick> ticks = {{0, {{"gpu0.power_w", 190}}}, {1, {{"gpu0.power_w", 210}}}};
  const auto j = power_during(r, ticks, {}, 1.0);
  EXPECT_DOUBLE_EQ(j["mean_w"].get<double>(), 200);
  EXPECT_DOUBLE_EQ(j["efficiency"].get<double>(), 2);
  EXPECT_EQ(j["efficiency_unit"], "tokens/J");
  TelemetryInfo info;
  info.unavailable = {"CPU power: no RAPL zones in /sys/class/powercap", "NVIDIA GPUs: no libnvidia-ml.so.1",
                      "thermal zones: none"};
  const auto none = power_during(r, {{0, {{"cpu.util_pct", 100}}}}, info, 1.0);
  EXPECT_EQ(none["available"], false);
  const std::string why = none["why"];
  EXPECT_NE(why.find("no RAPL zones"), std::string::npos) << why;
  EXPECT_NE(why.find("no libnvidia-ml.so.1"), std::string::npos) << why;
  EXPECT_EQ(why.find("thermal"), std::string::npos) << why;
}

}  // namespace
}  // namespace specgap::analysis
