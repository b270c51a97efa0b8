// The memory suite's sizing and placement: sweep sizes, cache capacities as working sets, CPU
// picking, default array size and the fits-in-memory check, on hand-built machines.
#include <gtest/gtest.h>

#include "support/allowed_cpus.h"

#include "support/cache_level.h"
#include <sched.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/units.h"
#include "suites/memory/plan.h"
#include "suites/memory/sweep.h"

namespace specgap::suites {
namespace {

using test::cache;

// One socket, 8 cores with SMT (16 threads): private L1d/L2 per core, one shared L3.
CpuInfo smt_desktop() {
  CpuInfo cpu;
  cpu.sockets = 1;
  cpu.cores = 8;
  cpu.threads = 16;
  cpu.smt = true;
  cpu.caches = {cache(1, "instruction", 32 * KiB, 8, 2), cache(1, "data", 48 * KiB, 8, 2),
                cache(2, "unified", 1 * MiB, 8, 2), cache(3, "unified", 32 * MiB, 1, 16)};
  return cpu;
}

// 16 cores without SMT in two CCDs, each with its own 32 MiB L3.
CpuInfo two_ccd() {
  CpuInfo cpu;
  cpu.sockets = 1;
  cpu.cores = 16;
  cpu.threads = 16;
  cpu.caches = {cache(1, "data", 32 * KiB, 16, 1), cache(2, "unified", 512 * KiB, 16, 1),
                cache(3, "unified", 32 * MiB, 2, 8)};
  return cpu;
}

using test::allowed_cpus;

// ---- sweep_sizes

TEST(SweepSizes, FromMinToMaxInIncreasingMultiplesOf4KiB) {
  for (int per_octave : {1, 2, 3, 4}) {
    const auto s = sweep_sizes(16 * KiB, 64 * MiB, per_octave);
    ASSERT_FALSE(s.empty()) << per_octave;
    EXPECT_EQ(s.front(), 16 * KiB) << per_octave;
    EXPECT_EQ(s.back(), 64 * MiB) << per_octave;
    for (size_t i = 0; i < s.size(); ++i) {
      EXPECT_EQ(s[i] % (4 * KiB), 0u) << s[i];
      EXPECT_LE(s[i], 64 * MiB);
      if (i > 0) {
        EXPECT_GT(s[i], s[i - 1]) << "per_octave " << per_octave << " at " << i;
      }
    }
  }
}

TEST(SweepSizes, PerOctavePointsInEveryDoubling) {
  // From 1 MiB up, 4 KiB rounding is fine enough for every step to be its own point.
  for (int per_octave : {1, 2, 3, 4, 8}) {
    const auto s = sweep_sizes(1 * MiB, 64 * MiB, per_octave);
    EXPECT_EQ(s.size(), size_t(6 * per_octave + 1)) << per_octave;
    for (uint64_t lo = 1 * MiB; lo < 64 * MiB; lo *= 2) {
      const auto n = std::count_if(s.begin(), s.end(), [&](uint64_t x) { return x >= lo && x < 2 * lo; });
      EXPECT_EQ(n, per_octave) << "octave from " << lo << ", per_octave " << per_octave;
    }
    // Each point is the geometric step from the previous one, to 4 KiB.
    for (size_t i = 1; i < s.size(); ++i) {
      const double ideal = double(1 * MiB) * std::pow(2.0, double(i) / per_octave);
      EXPECT_LE(std::fabs(double(s[i]) - ideal), 2048.0) << i;
    }
  }
}

TEST(SweepSizes, MaxBetweenTwoStepsIsTheLastPoint) {
  const auto s = sweep_sizes(16 * KiB, 100 * KiB, 1);  // 16, 32, 64 KiB, then the max itself
  EXPECT_EQ(s, (std::vector<uint64_t>{16 * KiB, 32 * KiB, 64 * KiB, 100 * KiB}));
  EXPECT_EQ(sweep_sizes(64 * KiB, 64 * KiB, 2), std::vector<uint64_t>{64 * KiB});
}

TEST(SweepSizes, BadInputGivesNothing) {
  EXPECT_TRUE(sweep_sizes(0, 1 * MiB, 2).empty());
  EXPECT_TRUE(sweep_sizes(1 * MiB, 16 * KiB, 2).empty());
  EXPECT_TRUE(sweep_sizes(16 * KiB, 1 * MiB, 0).empty());
  EXPECT_TRUE(sweep_sizes(16 * KiB, 1 * MiB, -3).empty());
}

// ---- working_set_capacities

TEST(WorkingSetCapacities, PrivateLevelsScaleWithThreadsSharedOnesCountOnce) {
  const CpuInfo cpu = smt_desktop();
  auto caps = working_set_capacities(cpu, 1);
  ASSERT_EQ(caps.size(), 3u);
  EXPECT_EQ(caps[0].name, "L1");
  EXPECT_EQ(caps[0].bytes, 48 * KiB);  // the data cache, not the instruction cache
  EXPECT_EQ(caps[1].name, "L2");
  EXPECT_EQ(caps[1].bytes, 1 * MiB);
  EXPECT_EQ(caps[2].name, "L3");
  EXPECT_EQ(caps[2].bytes, 32 * MiB);

  caps = working_set_capacities(cpu, 4);
  ASSERT_EQ(caps.size(), 3u);
  EXPECT_EQ(caps[0].bytes, 4 * 48 * KiB);
  EXPECT_EQ(caps[1].bytes, 4 * MiB);
  EXPECT_EQ(caps[2].bytes, 32 * MiB);

  // More threads than cores: a private level has only as many instances as there are.
  caps = working_set_capacities(cpu, 16);
  EXPECT_EQ(caps[0].bytes, 8 * 48 * KiB);
  EXPECT_EQ(caps[1].bytes, 8 * MiB);
  EXPECT_EQ(caps[2].bytes, 32 * MiB);
}

TEST(WorkingSetCapacities, SplitLastLevelCountsTheInstancesReached) {
  const CpuInfo cpu = two_ccd();
  EXPECT_EQ(working_set_capacities(cpu, 1)[2].bytes, 32 * MiB);
  EXPECT_EQ(working_set_capacities(cpu, 8)[2].bytes, 32 * MiB);   // one CCD holds 8 cores
  EXPECT_EQ(working_set_capacities(cpu, 9)[2].bytes, 64 * MiB);   // the ninth core is on the other
  EXPECT_EQ(working_set_capacities(cpu, 16)[2].bytes, 64 * MiB);
  EXPECT_EQ(working_set_capacities(cpu, 16)[0].bytes, 16 * 32 * KiB);
}

TEST(WorkingSetCapacities, UnknownCachesGiveNoCapacities) {
  EXPECT_TRUE(working_set_capacities(CpuInfo{}, 4).empty());
  CpuInfo cpu;
  cpu.caches = {cache(1, "instruction", 32 * KiB, 1, 1), cache(2, "unified", 0, 1, 1)};
  EXPECT_TRUE(working_set_capacities(cpu, 1).empty());
}

// ---- pick_cpus

TEST(PickCpus, OneThroughAllAllowedCpusAndNoMore) {
  const auto allowed = allowed_cpus();
  ASSERT_FALSE(allowed.empty());
  CpuInfo cpu;
  cpu.core_pus = allowed;
  const int n = int(allowed.size());
  for (int t = 1; t <= n; ++t) {
    const auto picked = pick_cpus(cpu, t);
    ASSERT_EQ(picked.size(), size_t(t));
    EXPECT_EQ(std::set<int>(picked.begin(), picked.end()).size(), size_t(t)) << "a CPU picked twice";
    for (int c : picked) EXPECT_NE(std::find(allowed.begin(), allowed.end(), c), allowed.end()) << c;
  }
  for (int bad : {0, -1, n + 1}) {
    try {
      pick_cpus(cpu, bad);
      ADD_FAILURE() << "--threads " << bad << " accepted";
    } catch (const UsageError& e) {
      EXPECT_EQ(e.exit_code(), kExitUsage);
      EXPECT_NE(std::string(e.what()).find("--threads " + std::to_string(bad)), std::string::npos) << e.what();
    }
  }
}

TEST(PickCpus, OnePerPhysicalCoreFirstThenTheOtherLogicalCpus) {
  const auto allowed = allowed_cpus();
  if (allowed.size() < 2) GTEST_SKIP() << "needs two CPUs";
  CpuInfo cpu;
  cpu.core_pus = {allowed.back()};  // one core, listed by its last logical CPU
  const auto picked = pick_cpus(cpu, int(allowed.size()));
  EXPECT_EQ(picked.front(), allowed.back());
  EXPECT_EQ(pick_cpus(cpu, 1), std::vector<int>{allowed.back()});
}

TEST(PickCpus, CoresThisProcessMayNotUseAreSkipped) {
  const auto allowed = allowed_cpus();
  int forbidden = -1;
  for (int c = CPU_SETSIZE - 1; c >= 0 && forbidden < 0; --c)
    if (std::find(allowed.begin(), allowed.end(), c) == allowed.end()) forbidden = c;
  if (forbidden < 0) GTEST_SKIP() << "every CPU is allowed";
  CpuInfo cpu;
  cpu.core_pus = {forbidden, allowed.front()};
  const auto picked = pick_cpus(cpu, int(allowed.size()));
  EXPECT_EQ(std::find(picked.begin(), picked.end(), forbidden), picked.end());
  EXPECT_EQ(picked.front(), allowed.front());
}

// ---- physical_cores

TEST(PhysicalCores, SmtSiblingsCountOnce) {
  CpuInfo cpu;  // 2 cores with 2 threads each, siblings numbered as Linux numbers them (0/2, 1/3)
  cpu.core_pus = {0, 1};
  cpu.pu_core = {0, 1, 0, 1};
  EXPECT_EQ(physical_cores(cpu, {0, 1, 2, 3}), 2);
  EXPECT_EQ(physical_cores(cpu, {0, 2}), 1);
  EXPECT_EQ(physical_cores(cpu, {0, 1}), 2);
  EXPECT_EQ(physical_cores(cpu, {3}), 1);
}

TEST(PhysicalCores, CpusTheTopologyDoesNotPlaceCountAsTheirOwnCores) {
  CpuInfo cpu;  // no hwloc: nothing is placed
  EXPECT_EQ(physical_cores(cpu, {0, 1, 5}), 3);
  EXPECT_EQ(physical_cores(cpu, {4, 4}), 1);
  cpu.pu_core = {0, -1};
  EXPECT_EQ(physical_cores(cpu, {0, 1, 7}), 3);
}

// ---- default_array_bytes and check_fits_in_memory

TEST(DefaultArrayBytes, AtLeastOneGiBAndFourTimesTheLastLevelCache) {
  Machine m;
  m.cpu = smt_desktop();  // 32 MiB L3: 4x is 128 MiB, so 1 GiB wins
  EXPECT_EQ(default_array_bytes(m), 1 * GiB);

  m.cpu.caches.back() = cache(3, "unified", 512 * MiB, 2, 8);  // 1 GiB of L3: 4 GiB
  EXPECT_EQ(default_array_bytes(m), 4 * GiB);

  m.cpu.caches.back() = cache(3, "unified", 300'000'001, 1, 16);  // odd size: whole MiB, still >= 4x
  const uint64_t bytes = default_array_bytes(m);
  EXPECT_GE(bytes, 4 * uint64_t{300'000'001});
  EXPECT_EQ(bytes % MiB, 0u);
  EXPECT_LT(bytes, 4 * uint64_t{300'000'001} + MiB);

  EXPECT_EQ(default_array_bytes(Machine{}), 1 * GiB);  // caches unknown
}

TEST(CheckFitsInMemory, ThrowsWhenTheArraysDoNotFit) {
  Machine m;
  m.memory.available_bytes = 4 * GiB;
  EXPECT_NO_THROW(check_fits_in_memory(m, 256 * MiB, 3, "--size"));
  try {
    check_fits_in_memory(m, 2 * GiB, 3, "--size");
    ADD_FAILURE() << "3 x 2 GiB fit in 4 GiB";
  } catch (const Error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("--size"), std::string::npos) << msg;
    EXPECT_NE(msg.find("6 GiB"), std::string::npos) << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
  }
  // Memory the OS needs is kept back: all of it is too much.
  EXPECT_THROW(check_fits_in_memory(m, 4 * GiB, 1, "--max-size"), Error);
}

TEST(CheckFitsInMemory, UnknownAvailableMemoryLetsTheAllocationDecide) {
  Machine m;  // available_bytes 0: unknown
  EXPECT_NO_THROW(check_fits_in_memory(m, 1024 * GiB, 3, "--size"));
}

// A GPU's chase: 256 MiB by default, held to its largest buffer and a sixth of its memory.
TEST(DeviceLatencyBytes, DefaultsWithinTheDeviceAndRefusesMore) {
  backends::DeviceInfo d;
  d.id = "gpu0";
  d.memory_bytes = 12 * GiB;
  d.max_buffer_bytes = 4 * GiB;
  EXPECT_EQ(device_latency_bytes(d, 0, "--max-size"), 256 * MiB);
  EXPECT_EQ(device_latency_bytes(d, 2 * GiB, "--max-size"), 2 * GiB);
  EXPECT_THROW(device_latency_bytes(d, 2 * GiB + 64, "--max-size"), UsageError);
  d.max_buffer_bytes = 128 * MiB;
  EXPECT_EQ(device_latency_bytes(d, 0, "--max-size"), 128 * MiB);
  EXPECT_THROW(device_latency_bytes(d, 256 * MiB, "--max-size"), UsageError);
}

}  // namespace
}  // namespace specgap::suites
