// specgap report end to end: the HTML file written whole beside the database (or where -o says) and
// its path printed, the text forms carrying the findings, and every way it can fail on one line: an
// unknown run, a bad format, a missing folder, a full disk. One small measured run serves every test.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "specgap_process.h"

namespace specgap::test {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

std::string read_file(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<fs::path> files_in(const fs::path& dir) {
  std::vector<fs::path> out;
  if (fs::exists(dir))
    for (auto& e : fs::directory_iterator(dir)) out.push_back(e.path());
  return out;
}

class ReportCli : public ::testing::Test {
 protected:
  // The database and its run are made once: a measured run costs seconds, the tests only read it. The
  // run has bandwidth, a sweep from 4 KiB and a latency curve, so its report outgrows what reading the
  // database writes (SQLite's 32 KiB shared-memory index) on every host, which the full-disk test needs:
  // from 16 KiB the report of an Arm build under QEMU (fewer kernels) came to 36 KiB.
  static void SetUpTestSuite() {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/specgap-report-cli-XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    // An empty catalog: these tests are about writing reports, not about the shipped systems' files.
    fs::create_directories(dir_ / "catalog");
    options_.env = {{"SPECGAP_DB", (dir_ / "results.db").string()},
                    {"SPECGAP_CATALOG", (dir_ / "catalog").string()},
                    {"HOME", dir_.string()},
                    {"XDG_DATA_HOME", (dir_ / "xdg").string()}};
    const Outcome measured = run_specgap(
        {"memory", "--size", "4M", "--reps", "2", "--sweep", "--latency", "--min-size", "4K", "--max-size", "4M",
         "--json"}, options_, 120s);
    ASSERT_TRUE(measured.exited && measured.exit_code == 0) << measured.describe();
    run_id_ = nlohmann::json::parse(measured.out)["run_id"].get<std::string>();
  }
  static void TearDownTestSuite() { fs::remove_all(dir_); }

  void SetUp() override { ASSERT_FALSE(run_id_.empty()) << "the measured run failed"; }
  void TearDown() override { fs::remove_all(dir_ / "reports"); }

  static Outcome specgap(const std::vector<std::string>& args, const SpawnOptions& options = options_) {
    return run_specgap(args, options, 60s);
  }

  static void expect_one_error_line(const Outcome& o, int exit_code, const std::string& says) {
    ASSERT_TRUE(o.exited) << o.describe();
    EXPECT_EQ(o.exit_code, exit_code) << o.describe();
    const auto lines = o.err_lines();
    ASSERT_EQ(lines.size(), 1u) << o.describe();
    EXPECT_EQ(lines[0].rfind("specgap: ", 0), 0u) << lines[0];
    EXPECT_NE(lines[0].find(says), std::string::npos) << lines[0];
    EXPECT_EQ(o.out, "");
  }

  static inline fs::path dir_;
  static inline SpawnOptions options_;
  static inline std::string run_id_;
};

TEST_F(ReportCli, HtmlIsWrittenBesideTheDatabaseAndItsPathPrinted) {
  const Outcome o = specgap({"report", run_id_, "--format", "html"});
  ASSERT_TRUE(o.exited && o.exit_code == 0) << o.describe();
  const fs::path expected = dir_ / "reports" / (run_id_ + ".html");
  EXPECT_EQ(o.out, expected.string() + "\n");
  const std::string html = read_file(expected);
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find(run_id_), std::string::npos);
  EXPECT_NE(html.find("<svg id=\"chart-memory-sweep\""), std::string::npos);
  EXPECT_NE(html.find("<svg id=\"chart-memory-latency\""), std::string::npos);
  EXPECT_NE(html.find("</html>"), std::string::npos);
  EXPECT_EQ(files_in(dir_ / "reports").size(), 1u) << "a temporary file was left behind";
}

TEST_F(ReportCli, AUniquePrefixSelectsTheRunAndOutputIntoAFolderNamesTheFileAfterIt) {
  fs::create_directories(dir_ / "reports" / "out");
  const Outcome o = specgap({"report", run_id_.substr(0, 12), "--format", "html", "-o", (dir_ / "reports" / "out").string()});
  ASSERT_TRUE(o.exited && o.exit_code == 0) << o.describe();
  const fs::path written = dir_ / "reports" / "out" / (run_id_ + ".html");
  EXPECT_EQ(o.out, written.string() + "\n");
  EXPECT_TRUE(fs::is_regular_file(written));
}

TEST_F(ReportCli, OutputIntoAMissingFolderIsOneLineAndWritesNothing) {
  const fs::path missing = dir_ / "reports" / "no" / "such" / "folder" / "r.html";
  expect_one_error_line(specgap({"report", run_id_, "--format", "html", "-o", missing.string()}), 1,
                        "cannot write " + missing.string() + ": No such file or directory");
  EXPECT_FALSE(fs::exists(dir_ / "reports" / "no"));
}

TEST_F(ReportCli, AFullDiskLeavesNoHalfReport) {
  // Files may grow to 32 KiB: just enough to read the database (its shared-memory index), not to hold
  // this run's report.
  constexpr rlim_t kLimit = 32 * 1024;
  const Outcome whole = specgap({"report", run_id_, "--format", "html"});
  ASSERT_TRUE(whole.exited && whole.exit_code == 0) << whole.describe();
  ASSERT_GT(fs::file_size(dir_ / "reports" / (run_id_ + ".html")), kLimit) << "the report fits: the test proves nothing";
  SpawnOptions limited = options_;
  limited.file_size_limit = kLimit;
  const fs::path target = dir_ / "reports" / "full" / "r.html";
  fs::create_directories(target.parent_path());
  expect_one_error_line(specgap({"report", run_id_, "--format", "html", "-o", target.string()}, limited), 1,
                        "cannot write " + target.string() + ": write failed after");
  EXPECT_TRUE(files_in(target.parent_path()).empty()) << "a half-written file was left";
}

TEST_F(ReportCli, AnUnknownRunIsOneLine) {
  expect_one_error_line(specgap({"report", "19990101T000000Z-000000", "--format", "html"}), 2,
                        "no run 19990101T000000Z-000000");
  EXPECT_FALSE(fs::exists(dir_ / "reports"));
}

TEST_F(ReportCli, ABadFormatIsAUsageError) {
  expect_one_error_line(specgap({"report", run_id_, "--format", "pdf"}), 2, "--format");
}

TEST_F(ReportCli, TextFormsAreTheRunAsShowDrawsItFollowedByTheFindings) {
  Outcome o = specgap({"report", run_id_, "--format", "json"});
  ASSERT_TRUE(o.exited && o.exit_code == 0) << o.describe();
  const auto j = nlohmann::json::parse(o.out);
  EXPECT_EQ(j["run_id"], run_id_);
  EXPECT_FALSE(j["results"].empty());
  ASSERT_TRUE(j["findings"].is_object()) << j.dump();
  EXPECT_TRUE(j["findings"].contains("verdicts"));

  const Outcome shown = specgap({"show", run_id_});
  o = specgap({"report", run_id_});  // text by default
  ASSERT_TRUE(o.exited && o.exit_code == 0) << o.describe();
  EXPECT_EQ(o.out.rfind(shown.out, 0), 0u) << "the report does not start with what show prints";
  EXPECT_NE(o.out.find("Claim vs delivered"), std::string::npos);
  EXPECT_NE(o.out.find("Advice"), std::string::npos);

  o = specgap({"report", run_id_, "--format", "md"});
  EXPECT_EQ(o.out.rfind("## specgap", 0), 0u) << o.out.substr(0, 200);
  o = specgap({"--csv", "report", run_id_});  // the global flag picks the form when --format is absent
  EXPECT_EQ(o.out.rfind("run_id,suite,", 0), 0u) << o.out.substr(0, 200);
}

}  // namespace
}  // namespace specgap::test
