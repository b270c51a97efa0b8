// The audit's budget clock: progress lines carry the stage and the time left, skipped stages are
// named, and each stage's time is accounted for.
#include <gtest/gtest.h>

#include <thread>

#include "cli/audit_progress.h"

namespace specgap::cli {
namespace {

struct Recording : RunSink {
  std::vector<std::string> lines;
  int results = 0;
  void sample(const Sample&) override {}
  void result(const Result&) override { ++results; }
  void progress(const std::string& line) override { lines.push_back(line); }
};

TEST(AuditProgress, PrefixesEveryLineWithTheStageAndTheTimeLeft) {
  Recording inner;
  AuditProgress p(inner, 300, 3);
  p.stage("memory bandwidth");
  p.progress("triad rep 1/10");
  ASSERT_EQ(inner.lines.size(), 2u);
  EXPECT_EQ(inner.lines[0], "[audit 1/3 memory bandwidth | 4:59 left] starting");
  EXPECT_EQ(inner.lines[1], "[audit 1/3 memory bandwidth | 4:59 left] triad rep 1/10");
  p.result(Result{});
  EXPECT_EQ(inner.results, 1) << "results pass through to the session";
  EXPECT_GT(p.left(), 299);
  EXPECT_LE(p.left(), 300);
}

TEST(AuditProgress, OverBudgetSaysByHowMuchAndSkippedStagesAreNamed) {
  Recording inner;
  AuditProgress p(inner, 0.01, 2);
  p.stage("compute");
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  p.skip("needs about 40 s");
  p.stage("soak");
  EXPECT_NE(inner.lines.back().find("s over budget]"), std::string::npos) << inner.lines.back();
  ASSERT_EQ(p.skipped().size(), 1u);
  EXPECT_EQ(p.skipped()[0], "compute: needs about 40 s");
  const std::string t = p.timings();
  EXPECT_EQ(t.rfind("compute 0 s, soak 0 s; 0:00 in all, budget 0:00", 0), 0u) << t;
}

}  // namespace
}  // namespace specgap::cli
