// ThreadTeam runs one function on every member, pinned, and can be reused many times; split_range
// hands each member an aligned share of [0, n) exactly once.
#include <gtest/gtest.h>

#include "support/allowed_cpus.h"
#include <pthread.h>
#include <sched.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>
#include <memory>
#include <vector>

#include "backends/cpu/thread_team.h"
#include "deadline.h"

namespace specgap::cpu {
namespace {

using namespace std::chrono_literals;

using test::allowed_cpus;

// Up to `n` distinct allowed CPUs.
std::vector<int> some_cpus(size_t n) {
  auto cpus = allowed_cpus();
  if (cpus.size() > n) cpus.resize(n);
  return cpus;
}

std::vector<int> affinity_of_this_thread() {
  cpu_set_t set;
  std::vector<int> out;
  if (pthread_getaffinity_np(pthread_self(), sizeof set, &set) != 0) return out;
  for (int i = 0; i < CPU_SETSIZE; ++i)
    if (CPU_ISSET(i, &set)) out.push_back(i);
  return out;
}

TEST(SplitRange, CoversEveryElementOnceInAlignedChunks) {
  const size_t sizes[] = {0, 1, 63, 64, 65, 127, 128, 1000, (size_t(1) << 20) + 3};
  for (size_t n : sizes) {
    for (size_t parts = 1; parts <= 5; ++parts) {
      size_t next = 0;  // chunks come in member order, each starting where the previous ended
      for (size_t m = 0; m < parts; ++m) {
        const Range r = split_range(n, parts, m);
        EXPECT_LE(r.begin, r.end) << "n " << n << " parts " << parts << " member " << m;
        EXPECT_EQ(r.begin, next) << "n " << n << " parts " << parts << " member " << m;
        if (r.end > r.begin) {
          EXPECT_EQ(r.begin % 64, 0u) << "n " << n << " parts " << parts << " member " << m;
        }
        next = r.end;
      }
      EXPECT_EQ(next, n) << "n " << n << " parts " << parts;
    }
  }
}

// Whole 64-element blocks are dealt out evenly; only the block that n cuts short is smaller.
TEST(SplitRange, SharesDifferByAtMostOneBlockPlusTheCutOne) {
  const size_t n = 1000 * 64 + 17;
  for (size_t parts = 1; parts <= 5; ++parts) {
    size_t smallest = SIZE_MAX, largest = 0;
    for (size_t m = 0; m < parts; ++m) {
      const Range r = split_range(n, parts, m);
      smallest = std::min(smallest, r.end - r.begin);
      largest = std::max(largest, r.end - r.begin);
    }
    EXPECT_LE(largest - smallest, 2 * 64u) << "parts " << parts;
    EXPECT_GE(smallest, (n / 64 / parts - 1) * 64) << "parts " << parts;
  }
}

TEST(SplitRange, OnePartTakesEverything) {
  const Range r = split_range(12345, 1, 0);
  EXPECT_EQ(r.begin, 0u);
  EXPECT_EQ(r.end, 12345u);
}

TEST(ThreadTeam, RunCallsEveryMemberOnceWithDistinctIds) {
  test::Deadline deadline(30s, "ThreadTeam::run");
  const auto cpus = some_cpus(4);
  ThreadTeam team(cpus);
  ASSERT_EQ(team.size(), cpus.empty() ? 1u : cpus.size());
  std::vector<std::atomic<int>> calls(team.size());
  std::atomic<int> out_of_range{0};
  team.run([&](size_t m) {
    if (m < calls.size()) calls[m].fetch_add(1);
    else out_of_range.fetch_add(1);
  });
  EXPECT_EQ(out_of_range.load(), 0);
  for (size_t m = 0; m < calls.size(); ++m) EXPECT_EQ(calls[m].load(), 1) << "member " << m;
}

TEST(ThreadTeam, MembersRunPinnedToTheirCpusAndTheCallerIsMemberZero) {
  test::Deadline deadline(30s, "ThreadTeam pinning");
  const auto cpus = some_cpus(4);
  if (cpus.empty()) GTEST_SKIP() << "no affinity information";
  const auto before = affinity_of_this_thread();
  {
    ThreadTeam team(cpus);
    std::vector<std::vector<int>> seen(team.size());
    std::vector<pthread_t> threads(team.size());
    team.run([&](size_t m) {
      seen[m] = affinity_of_this_thread();
      threads[m] = pthread_self();
    });
    for (size_t m = 0; m < cpus.size(); ++m) EXPECT_EQ(seen[m], std::vector<int>{cpus[m]}) << "member " << m;
    EXPECT_TRUE(pthread_equal(threads[0], pthread_self()));
    for (size_t m = 1; m < threads.size(); ++m) EXPECT_FALSE(pthread_equal(threads[m], pthread_self())) << m;
  }
  // The caller gets its old affinity back when the team goes.
  EXPECT_EQ(affinity_of_this_thread(), before);
}

TEST(ThreadTeam, RunTimedReturnsANonNegativeDuration) {
  test::Deadline deadline(30s, "ThreadTeam::run_timed");
  ThreadTeam team(some_cpus(4));
  std::atomic<int> calls{0};
  const int64_t ns = team.run_timed([&](size_t) { calls.fetch_add(1); });
  EXPECT_GE(ns, 0);
  EXPECT_EQ(calls.load(), int(team.size()));
}

TEST(ThreadTeam, OneMemberTeamRunsOnTheCaller) {
  test::Deadline deadline(30s, "one-member ThreadTeam");
  for (const auto& cpus : {std::vector<int>{}, some_cpus(1)}) {
    ThreadTeam team(cpus);
    ASSERT_EQ(team.size(), 1u);
    int calls = 0;
    pthread_t who{};
    size_t member = 99;
    EXPECT_GE(team.run_timed([&](size_t m) {
      ++calls;
      member = m;
      who = pthread_self();
    }),
              0);
    EXPECT_EQ(calls, 1);
    EXPECT_EQ(member, 0u);
    EXPECT_TRUE(pthread_equal(who, pthread_self()));
  }
}

TEST(ThreadTeam, ThousandRunsInARowNeitherDeadlockNorLoseCalls) {
  test::Deadline deadline(60s, "1000 ThreadTeam runs");
  ThreadTeam team(some_cpus(4));
  std::vector<std::atomic<int>> calls(team.size());
  for (int i = 0; i < 1000; ++i) {
    // Every member must see this run's job, not the previous one's.
    std::atomic<int> this_run{0};
    team.run([&](size_t m) {
      calls[m].fetch_add(1);
      this_run.fetch_add(1);
    });
    ASSERT_EQ(this_run.load(), int(team.size())) << "run " << i;
  }
  for (size_t m = 0; m < calls.size(); ++m) EXPECT_EQ(calls[m].load(), 1000) << "member " << m;
}

TEST(ThreadTeam, EveryMemberWritesItsShareOfTheWork) {
  test::Deadline deadline(30s, "ThreadTeam work split");
  ThreadTeam team(some_cpus(4));
  const size_t n = 100'003;
  std::vector<int> hits(n, 0);
  team.run([&](size_t m) {
    const Range r = split_range(n, team.size(), m);
    for (size_t i = r.begin; i < r.end; ++i) ++hits[i];
  });
  EXPECT_EQ(std::count(hits.begin(), hits.end(), 1), long(n));
}

// The threads this process has now (/proc/self/task lists one entry per thread).
size_t threads_of_this_process() {
  size_t n = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator("/proc/self/task")) ++n;
  return n;
}

// A joined thread can stay listed for a moment: the kernel (and QEMU's user-mode emulation, more
// so) wakes the joiner before the thread's task is gone. So the count is read until it is what is
// expected, for at most 10 s; a thread leaked or never started still fails.
size_t threads_once_settled_at(size_t expected) {
  const auto give_up = std::chrono::steady_clock::now() + 10s;
  size_t n = threads_of_this_process();
  while (n != expected && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(1ms);
    n = threads_of_this_process();
  }
  return n;
}

// The count once the threads of earlier tests are gone: unchanged over 100 ms.
size_t threads_once_quiet() {
  const auto give_up = std::chrono::steady_clock::now() + 10s;
  size_t n = threads_of_this_process();
  for (;;) {
    std::this_thread::sleep_for(100ms);
    const size_t now = threads_of_this_process();
    if (now == n || std::chrono::steady_clock::now() > give_up) return now;
    n = now;
  }
}

TEST(ThreadTeam, TeamsCanBeCreatedAndDestroyedRepeatedly) {
  test::Deadline deadline(60s, "ThreadTeam construction and destruction");
  const auto cpus = some_cpus(4);
  const size_t threads_before = threads_once_quiet();
  const auto affinity_before = affinity_of_this_thread();
  for (int i = 0; i < 50; ++i) {
    ThreadTeam team(cpus);
    // Each new team has its workers, and a run reaches every one of them exactly once.
    ASSERT_EQ(threads_once_settled_at(threads_before + team.size() - 1), threads_before + team.size() - 1) << "team " << i;
    if (i % 2) {  // destroyed both idle and after a run
      std::atomic<int> calls{0};
      team.run([&](size_t) { calls.fetch_add(1); });
      ASSERT_EQ(calls.load(), int(team.size())) << "team " << i;
    }
  }
  // Every worker was joined, and the caller is free again.
  EXPECT_EQ(threads_once_settled_at(threads_before), threads_before);
  EXPECT_EQ(affinity_of_this_thread(), affinity_before);
}

// A member's exception reaches the caller as it was thrown, wherever it was thrown, and the team
// still runs the next job: before, it called std::terminate.
TEST(ThreadTeam, AMembersExceptionIsRethrownToTheCaller) {
  test::Deadline deadline(30s, "ThreadTeam exceptions");
  ThreadTeam team(some_cpus(4));
  for (size_t thrower = 0; thrower < team.size(); ++thrower) {
    try {
      team.run([&](size_t m) {
        if (m == thrower) throw std::runtime_error("member " + std::to_string(m) + " failed");
      });
      ADD_FAILURE() << "no exception from member " << thrower;
    } catch (const std::runtime_error& e) {
      EXPECT_EQ(std::string(e.what()), "member " + std::to_string(thrower) + " failed");
    }
    std::atomic<int> calls{0};
    team.run([&](size_t) { calls.fetch_add(1); });
    EXPECT_EQ(calls.load(), int(team.size())) << "after member " << thrower << " threw";
  }
}

// Members that wait for the one that threw are told to stop (job_abandoned), and their giving up is
// not what the caller sees.
TEST(ThreadTeam, MembersWaitingForAFailedMemberAreReleased) {
  test::Deadline deadline(30s, "abandoned ThreadTeam job");
  ThreadTeam team(some_cpus(4));
  if (team.size() < 2) GTEST_SKIP() << "needs two CPUs";
  EXPECT_FALSE(job_abandoned());
  try {
    team.run([&](size_t m) {
      if (m == team.size() - 1) throw std::runtime_error("the last member failed");
      while (!job_abandoned()) std::this_thread::yield();  // waits for a member that never comes
      throw JobAbandoned();
    });
    ADD_FAILURE() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "the last member failed");
  }
  EXPECT_FALSE(job_abandoned());  // outside a job
}

}  // namespace
}  // namespace specgap::cpu
