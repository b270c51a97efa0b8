// Writing a run and reading it back: records, ordering, id lookup and finishing.
#include <cmath>
#include <regex>
#include <set>

#include "core/error.h"
#include "store/store.h"
#include "store_test_util.h"

namespace specgap::test {
namespace {

using StoreRoundTrip = StoreTest;

TEST_F(StoreRoundTrip, RunWithSamplesAndResultsReadsBackIntact) {
  const std::string id = "20260101T000000Z-aaaaaa";
  Result triad = make_result("triad", 101.0);
  triad.dtype = "fp64";
  triad.check = "failed: mismatch at 3";
  {
    Store store(db_path());
    store.begin_run(make_run(id));
    store.add_sample(id, make_sample(10.5));
    Sample odd = make_sample(std::nan(""));  // a failed repetition: NaN must survive
    odd.params = {{"note", "caf\xc3\xa9"}};
    store.add_sample(id, odd);
    store.add_sample(id, make_sample(-INFINITY));
    store.add_result(id, make_result("copy", 98.25));
    store.add_result(id, triad);
    store.finish_run(id, "complete");
  }
  Store store(db_path());  // reopened: everything was committed, nothing cached
  const auto run = store.load_run(id);
  ASSERT_TRUE(run.has_value());
  EXPECT_EQ(run->run_id, id);
  EXPECT_EQ(run->status, "complete");
  EXPECT_EQ(run->started_at, "2026-01-01T00:00:00Z");
  EXPECT_FALSE(run->finished_at.empty());
  EXPECT_EQ(run->command, "specgap run memory");
  EXPECT_EQ(run->specgap_version, "0.1.0-test");
  EXPECT_EQ(run->machine, make_run(id).machine);
  EXPECT_EQ(run->samples, 3);
  ASSERT_EQ(run->results.size(), 2u);
  EXPECT_EQ(to_json(run->results[0]), to_json(make_result("copy", 98.25)));
  EXPECT_EQ(to_json(run->results[1]), to_json(triad));

  const auto samples = store.load_samples(id);
  ASSERT_EQ(samples.size(), 3u);
  EXPECT_EQ(samples[0].value, 10.5);
  EXPECT_EQ(samples[0].suite, "memory");
  EXPECT_EQ(samples[0].name, "triad");
  EXPECT_EQ(samples[0].impl, "scalar");
  EXPECT_EQ(samples[0].unit, "GB/s");
  EXPECT_EQ(samples[0].params, make_sample(0).params);
  EXPECT_TRUE(std::isnan(samples[1].value));
  EXPECT_EQ(samples[1].params["note"], "caf\xc3\xa9");
  EXPECT_EQ(samples[2].value, -INFINITY);
}

TEST_F(StoreRoundTrip, ListRunsNewestFirstWithCounts) {
  Store store(db_path());
  store.begin_run(make_run("20260101T000000Z-000001", "2026-01-01T00:00:00Z"));
  store.begin_run(make_run("20260301T000000Z-000003", "2026-03-01T00:00:00Z"));
  store.begin_run(make_run("20260201T000000Z-000002", "2026-02-01T00:00:00Z"));
  store.begin_run(make_run("20260201T000000Z-000009", "2026-02-01T00:00:00Z"));  // same start
  for (int i = 0; i < 4; ++i) store.add_sample("20260201T000000Z-000002", make_sample(i));
  store.add_result("20260201T000000Z-000002", make_result("copy", 1));
  store.finish_run("20260201T000000Z-000002", "complete");

  const auto runs = store.list_runs();
  ASSERT_EQ(runs.size(), 4u);
  EXPECT_EQ(runs[0].run_id, "20260301T000000Z-000003");
  EXPECT_EQ(runs[1].run_id, "20260201T000000Z-000009");  // ties broken by run id, newest first
  EXPECT_EQ(runs[2].run_id, "20260201T000000Z-000002");
  EXPECT_EQ(runs[3].run_id, "20260101T000000Z-000001");
  EXPECT_EQ(runs[2].samples, 4);
  EXPECT_EQ(runs[2].results, 1);
  EXPECT_EQ(runs[2].status, "complete");
  EXPECT_FALSE(runs[2].finished_at.empty());
  EXPECT_EQ(runs[0].status, "running");
  EXPECT_TRUE(runs[0].finished_at.empty());
  EXPECT_EQ(runs[0].samples, 0);
  EXPECT_EQ(runs[0].command, "specgap run memory");

  ASSERT_EQ(store.list_runs(2).size(), 2u);
  EXPECT_EQ(store.list_runs(2)[0].run_id, "20260301T000000Z-000003");
  EXPECT_EQ(store.list_runs(0).size(), 4u);  // no limit
}

TEST_F(StoreRoundTrip, LoadRunByExactIdOrUniquePrefix) {
  Store store(db_path());
  store.begin_run(make_run("20260101T000000Z-abc123"));
  store.begin_run(make_run("20260101T000000Z-abd456"));
  store.begin_run(make_run("20260101T000000Z-ab"));  // also a prefix of both others

  EXPECT_EQ(store.load_run("20260101T000000Z-abc")->run_id, "20260101T000000Z-abc123");
  EXPECT_EQ(store.load_run("20260101T000000Z-abd456")->run_id, "20260101T000000Z-abd456");
  // An exact id wins over the longer ids it is a prefix of.
  EXPECT_EQ(store.load_run("20260101T000000Z-ab")->run_id, "20260101T000000Z-ab");
  EXPECT_FALSE(store.load_run("20260101T000000Z-abe").has_value());
  EXPECT_FALSE(store.load_run("").has_value());
  // LIKE wildcards match only themselves.
  EXPECT_FALSE(store.load_run("2026%").has_value());
  EXPECT_FALSE(store.load_run("20260101T000000Z-a_c").has_value());
}

TEST_F(StoreRoundTrip, AmbiguousPrefixThrowsNamingTheCount) {
  Store store(db_path());
  store.begin_run(make_run("20260101T000000Z-abc123"));
  store.begin_run(make_run("20260101T000000Z-abd456"));
  store.begin_run(make_run("20260101T000000Z-abe789"));
  store.begin_run(make_run("20260101T000000Z-abf000"));
  try {
    store.load_run("20260101T000000Z-ab");
    FAIL() << "an ambiguous prefix must throw";
  } catch (const UsageError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("ambiguous"), std::string::npos) << message;
    EXPECT_NE(message.find("4 runs match"), std::string::npos) << message;
    EXPECT_NE(message.find("20260101T000000Z-abc123"), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
}

TEST_F(StoreRoundTrip, FinishRunRecordsStatusTimeAndError) {
  Store store(db_path());
  for (const char* id : {"r-complete", "r-failed", "r-interrupted"}) store.begin_run(make_run(id));
  store.finish_run("r-complete", "complete");
  store.finish_run("r-failed", "failed", "check failed: triad mismatch at 3");
  store.finish_run("r-interrupted", "interrupted");

  const auto failed = store.load_run("r-failed");
  EXPECT_EQ(failed->status, "failed");
  EXPECT_EQ(failed->error, "check failed: triad mismatch at 3");
  EXPECT_FALSE(failed->finished_at.empty());
  EXPECT_EQ(store.load_run("r-complete")->status, "complete");
  EXPECT_EQ(store.load_run("r-complete")->error, "");
  EXPECT_EQ(store.load_run("r-interrupted")->status, "interrupted");

  EXPECT_THROW(store.finish_run("r-complete", "running"), Error);
  EXPECT_THROW(store.finish_run("r-complete", "done"), Error);
  EXPECT_EQ(store.load_run("r-complete")->status, "complete");
  try {
    store.finish_run("no-such-run", "complete");
    FAIL() << "finishing an unknown run must throw";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("no run 'no-such-run'"), std::string::npos) << e.what();
  }
}

TEST_F(StoreRoundTrip, WritesToUnknownOrDuplicateRunsThrow) {
  Store store(db_path());
  try {
    store.add_sample("ghost", make_sample(1));
    FAIL() << "a sample for an unknown run must throw";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("no run 'ghost'"), std::string::npos) << e.what();
  }
  EXPECT_THROW(store.add_result("ghost", make_result("copy", 1)), Error);
  store.begin_run(make_run("twice"));
  try {
    store.begin_run(make_run("twice"));
    FAIL() << "a duplicate run id must throw";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("already exists"), std::string::npos) << e.what();
  }
  EXPECT_THROW(store.begin_run(make_run("")), Error);
  EXPECT_TRUE(store.load_samples("ghost").empty());
}

TEST(RunId, IsUtcTimeAndSixHexDigits) {
  const std::string id = new_run_id();
  EXPECT_TRUE(std::regex_match(id, std::regex(R"(\d{8}T\d{6}Z-[0-9a-f]{6})"))) << id;
  // 24 random bits: ten ids in a row (same second) are all different.
  std::set<std::string> ids;
  for (int i = 0; i < 10; ++i) ids.insert(new_run_id());
  EXPECT_EQ(ids.size(), 10u);
}

}  // namespace
}  // namespace specgap::test
