// The forward pass's barrier inside a ThreadTeam job: it holds members together, and a member that
// throws releases the others waiting at it, so the failure reaches the caller instead of a hang.
#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>

#include "backends/cpu/thread_team.h"
#include "llm/spin_barrier.h"
#include "support/allowed_cpus.h"

namespace specgap::llm {
namespace {

std::vector<int> two_cpus() {
  auto cpus = test::allowed_cpus();
  if (cpus.size() > 2) cpus.resize(2);
  return cpus;
}

TEST(SpinBarrier, NoMemberPassesBeforeAllArrive) {
  cpu::ThreadTeam team(two_cpus());
  if (team.size() < 2) GTEST_SKIP() << "needs two CPUs";
  SpinBarrier barrier(team.size());
  std::atomic<int> arrived{0};
  std::atomic<int> early{0};
  team.run([&](size_t) {
    for (int round = 1; round <= 100; ++round) {
      arrived.fetch_add(1);
      barrier.wait();
      if (arrived.load() < round * int(team.size())) early.fetch_add(1);
      barrier.wait();
    }
  });
  EXPECT_EQ(early.load(), 0);
}

TEST(SpinBarrier, AMemberThatThrowsReleasesTheOthers) {
  cpu::ThreadTeam team(two_cpus());
  if (team.size() < 2) GTEST_SKIP() << "needs two CPUs";
  SpinBarrier barrier(team.size());
  try {
    team.run([&](size_t m) {
      if (m == 1) throw std::runtime_error("member 1 failed before the barrier");
      barrier.wait();  // member 1 never arrives
    });
    ADD_FAILURE() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "member 1 failed before the barrier");
  }
}

}  // namespace
}  // namespace specgap::llm
