// Crash safety: a killed writer loses no committed sample and its run is found as interrupted; a
// run whose process still lives is never touched.
#include <signal.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "store/process_liveness.h"
#include "store/sqlite_util.h"
#include "store/store.h"
#include "store_test_util.h"

namespace specgap::test {
namespace {

using StoreRecovery = StoreTest;

// Rewrites one column of a run behind the store's back, to fake an owner that is gone.
void set_run_column(const std::string& path, const std::string& run_id, const char* sql,
                    const std::string& value) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  {
    store::Statement update(db, sql);
    update.bind_text(1, value).bind_text(2, run_id).run();
  }
  sqlite3_close(db);
}

TEST_F(StoreRecovery, KilledWriterKeepsEveryCommittedSampleAndIsMarkedInterrupted) {
  const std::string id = "20260101T000000Z-dead01";
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // The child writes samples until killed, reporting each one only after add_sample returned.
    close(pipe_fds[0]);
    try {
      Store store(db_path());
      store.begin_run(make_run(id));
      for (int64_t n = 1; n <= 1'000'000; ++n) {
        store.add_sample(id, make_sample(static_cast<double>(n)));
        if (!write_all(pipe_fds[1], &n, sizeof n)) _exit(3);
      }
    } catch (...) {
      _exit(2);
    }
    _exit(1);
  }
  close(pipe_fds[1]);
  int64_t seen = 0;
  for (int64_t n = 0; seen < 50 && read_all(pipe_fds[0], &n, sizeof n);) seen = n;
  kill(child, SIGKILL);
  EXPECT_EQ(wait_for_child(child), 1000 + SIGKILL);
  close(pipe_fds[0]);
  ASSERT_GE(seen, 50) << "the child stopped writing early";

  Store store(db_path());
  const auto interrupted = store.recover_interrupted();
  ASSERT_EQ(interrupted.size(), 1u);
  EXPECT_EQ(interrupted[0].run_id, id);
  EXPECT_GE(interrupted[0].samples, seen);
  EXPECT_FALSE(interrupted[0].last_activity.empty());

  const auto samples = store.load_samples(id);
  ASSERT_EQ(static_cast<int64_t>(samples.size()), interrupted[0].samples);
  for (size_t i = 0; i < samples.size(); ++i) {
    ASSERT_EQ(samples[i].value, static_cast<double>(i + 1))
        << "sample " << i << " lost or reordered";
  }
  const auto run = store.load_run(id);
  EXPECT_EQ(run->status, "interrupted");
  EXPECT_EQ(run->finished_at, interrupted[0].last_activity);
  EXPECT_EQ(run->samples, interrupted[0].samples);
  EXPECT_TRUE(store.recover_interrupted().empty()) << "a run is recovered once";
}

TEST_F(StoreRecovery, RunOfALiveProcessIsNotMarked) {
  const std::string id = "20260101T000000Z-live01";
  Store writer(db_path());
  writer.begin_run(make_run(id));
  writer.add_sample(id, make_sample(1));

  Store other(db_path());  // a second specgap on the same file
  EXPECT_TRUE(other.recover_interrupted().empty());
  EXPECT_EQ(other.load_run(id)->status, "running");
  EXPECT_TRUE(other.load_run(id)->finished_at.empty());

  writer.add_sample(id, make_sample(2));  // the owner carries on undisturbed
  writer.finish_run(id, "complete");
  EXPECT_EQ(other.load_run(id)->status, "complete");
  EXPECT_EQ(other.load_run(id)->samples, 2);
}

TEST_F(StoreRecovery, OwnerFromAnotherBootOrAReusedPidIsGone) {
  Store store(db_path());
  store.begin_run(make_run("other-boot", "2026-01-01T00:00:00Z"));
  store.begin_run(make_run("reused-pid", "2026-01-02T00:00:00Z"));
  store.begin_run(make_run("still-live", "2026-01-03T00:00:00Z"));
  store.add_sample("other-boot", make_sample(1));
  store.add_result("other-boot", make_result("copy", 1));
  // Pin the activity times so the chosen end can be checked: the result is the latest row.
  set_run_column(db_path(), "other-boot", "UPDATE samples SET at = ?1 WHERE run_id = ?2",
                 "2026-01-01T00:00:05Z");
  set_run_column(db_path(), "other-boot", "UPDATE results SET at = ?1 WHERE run_id = ?2",
                 "2026-01-01T00:00:09Z");
  set_run_column(db_path(), "other-boot", "UPDATE runs SET owner_boot_id = ?1 WHERE run_id = ?2",
                 "00000000-0000-0000-0000-000000000000");
  // Same pid, later start: the pid was reused by another process (here, by this test).
  set_run_column(db_path(), "reused-pid",
                 "UPDATE runs SET owner_start_ticks = owner_start_ticks - CAST(?1 AS INTEGER) "
                 "WHERE run_id = ?2",
                 "1");

  const auto interrupted = store.recover_interrupted();
  ASSERT_EQ(interrupted.size(), 2u);
  EXPECT_EQ(interrupted[0].run_id, "other-boot");
  EXPECT_EQ(interrupted[0].last_activity, "2026-01-01T00:00:09Z");
  EXPECT_EQ(interrupted[0].samples, 1);
  EXPECT_EQ(interrupted[1].run_id, "reused-pid");
  EXPECT_EQ(interrupted[1].last_activity, "2026-01-02T00:00:00Z");  // nothing stored: its start
  EXPECT_EQ(interrupted[1].samples, 0);
  // Another boot id means the machine rebooted under the run; a dead process of this boot, a kill.
  EXPECT_TRUE(interrupted[0].rebooted);
  EXPECT_FALSE(interrupted[1].rebooted);
  EXPECT_NE(store.load_run("other-boot")->error.find("rebooted"), std::string::npos);
  EXPECT_EQ(store.load_run("reused-pid")->error.find("rebooted"), std::string::npos);
  EXPECT_EQ(store.load_run("other-boot")->finished_at, "2026-01-01T00:00:09Z");
  EXPECT_EQ(store.load_run("reused-pid")->status, "interrupted");
  EXPECT_FALSE(store.load_run("reused-pid")->error.empty());
  EXPECT_EQ(store.load_run("still-live")->status, "running");
}

TEST(ProcessLiveness, ThisProcessIsAliveUnderItsOwnIdentityOnly) {
  const auto self = store::current_process();
  EXPECT_EQ(self.pid, getpid());
  EXPECT_GT(self.start_ticks, 0);
  EXPECT_EQ(self.boot_id.size(), 36u) << self.boot_id;  // a UUID
  EXPECT_TRUE(store::process_is_alive(self));

  auto reused = self;
  reused.start_ticks += 1;
  EXPECT_FALSE(store::process_is_alive(reused));
  auto rebooted = self;
  rebooted.boot_id = "00000000-0000-0000-0000-000000000000";
  EXPECT_FALSE(store::process_is_alive(rebooted));
}

TEST(ProcessLiveness, ExitedChildIsDeadAsZombieAndAfterReaping) {
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) _exit(0);
  // Until waitpid the child is a zombie: its /proc entry exists but it runs no more.
  const auto stat_path = "/proc/" + std::to_string(child) + "/stat";
  bool zombie = false;
  for (int i = 0; i < 1000 && !zombie; ++i) {
    std::string stat;
    std::getline(std::ifstream(stat_path), stat);
    zombie = stat.find(") Z ") != std::string::npos;
    if (!zombie) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ASSERT_TRUE(zombie);
  EXPECT_FALSE(store::process_start_ticks(child).has_value());
  EXPECT_EQ(wait_for_child(child), 0);
  EXPECT_FALSE(store::process_start_ticks(child).has_value());
  EXPECT_FALSE(store::process_is_alive({child, 1, store::current_boot_id()}));
}

}  // namespace
}  // namespace specgap::test
