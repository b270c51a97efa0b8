// What the compute command plans from the machine: the peak's theoretical peak counts the physical
// cores under the pinned threads, so --threads past the cores (onto SMT siblings) does not double it.
#include <gtest/gtest.h>

#include <algorithm>

#include "cli/cmd_compute.h"
#include "support/allowed_cpus.h"

namespace specgap::cli {
namespace {

TEST(ComputePlan, ThreadsOnSmtSiblingsPlanOneCoreEach) {
  const auto allowed = test::allowed_cpus();
  if (allowed.size() < 2) GTEST_SKIP() << "needs two CPUs";
  Machine m;  // the two CPUs this process may use, taken as SMT siblings of one core
  m.cpu.core_pus = {allowed[0]};
  m.cpu.pu_core.assign(size_t(std::max(allowed[0], allowed[1])) + 1, -1);
  m.cpu.pu_core[size_t(allowed[0])] = 0;
  m.cpu.pu_core[size_t(allowed[1])] = 0;
  ComputeOptions o;
  o.peak_only = true;
  o.threads = 2;
  const auto plan = plan_compute(o, m);
  ASSERT_TRUE(plan.peak);
  EXPECT_EQ(plan.peak->cpus.size(), 2u);
  EXPECT_EQ(plan.peak->cores, 1);

  m.cpu.core_pus = {allowed[0], allowed[1]};  // now two cores
  m.cpu.pu_core[size_t(allowed[1])] = 1;
  EXPECT_EQ(plan_compute(o, m).peak->cores, 2);
}

}  // namespace
}  // namespace specgap::cli
