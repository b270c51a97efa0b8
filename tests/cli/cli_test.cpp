// The specgap binary end to end: usage errors (exit 2, one line, nothing recorded), a small
// measured run and its stored copy, and the ways a run can end early: Ctrl-C, kill -9, a full disk.
// Every test gets its own folder and database (SPECGAP_DB), and every child runs under a deadline.
#include <gtest/gtest.h>
#include <sched.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/emulation.h"
#include "llm/presets.h"
#include "llm/tensor_source.h"
#include "specgap_process.h"
#include "support/small_gpt_oss.h"

namespace specgap::test {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

// A run that lasts several seconds here but stores its first samples within milliseconds.
const std::vector<std::string> kLongRun = {"memory", "--sweep", "--max-size", "64M"};

// The smallest measured run with every op and variant: a fraction of a second.
const std::vector<std::string> kSmallRun = {"memory", "--size", "4M", "--reps", "2"};

class Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/specgap-cli-XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    options_.env = {{"SPECGAP_DB", db_path()},
                    {"HOME", dir_.string()},
                    {"XDG_DATA_HOME", (dir_ / "xdg").string()}};
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string db_path() const { return (dir_ / "results.db").string(); }

  Outcome specgap(const std::vector<std::string>& args, std::chrono::milliseconds timeout = 60s) const {
    return run_specgap(args, options_, timeout);
  }

  // Parses a child's stdout as JSON; a test failure (and null) when it is not.
  static nlohmann::json json_of(const Outcome& o) {
    auto j = nlohmann::json::parse(o.out, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) {
      ADD_FAILURE() << "stdout is not JSON: " << o.describe();
      return nullptr;
    }
    return j;
  }

  // `specgap history --json`: the runs in this test's database, newest first.
  nlohmann::json history() const {
    const Outcome o = specgap({"history", "--json"}, 30s);
    EXPECT_TRUE(o.exited && o.exit_code == 0) << o.describe();
    return json_of(o);
  }

  // Polls the store until the newest run has stored at least one sample and one result, while
  // `child` keeps running. Returns that run's history entry; nullopt at the deadline or if the
  // child ended first.
  std::optional<nlohmann::json> wait_for_stored_samples(SpecgapProcess& child,
                                                        std::chrono::seconds limit = 30s) const {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      if (!child.running()) return std::nullopt;
      const auto runs = history();
      if (runs.is_array() && !runs.empty() && runs[0]["samples"].get<int64_t>() > 0 &&
          runs[0]["results"].get<int64_t>() > 0)
        return runs[0];
      child.wait_for_exit(50ms);  // also drains its output meanwhile
    }
    return std::nullopt;
  }

  fs::path dir_;
  SpawnOptions options_;
};

// One line on stderr, prefixed, and nothing on stdout: how every usage error must look.
void expect_one_line_usage_error(const Outcome& o) {
  EXPECT_FALSE(o.timed_out);
  ASSERT_TRUE(o.exited) << o.describe();
  EXPECT_EQ(o.exit_code, 2) << o.describe();
  const auto lines = o.err_lines();
  ASSERT_EQ(lines.size(), 1u) << o.describe();
  EXPECT_EQ(lines[0].rfind("specgap: ", 0), 0u) << lines[0];
  EXPECT_EQ(o.out, "");
}

int allowed_cpu_count() {
  cpu_set_t set;
  return sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : 1;
}

// ---- the harness itself

TEST_F(Cli, AChildPastItsDeadlineIsKilledAndReportedAsTimedOut) {
  const Outcome o = specgap(kLongRun, 300ms);
  EXPECT_TRUE(o.timed_out) << o.describe();
  EXPECT_FALSE(o.exited) << o.describe();
  EXPECT_EQ(o.signal, SIGKILL);
}

// ---- usage errors

// The build says which devices it can measure: a GPU figure can only come from a GPU backend.
TEST_F(Cli, VersionNamesTheBackendsThisBuildHas) {
  const Outcome o = specgap({"--version"});
  ASSERT_TRUE(o.exited && o.exit_code == 0) << o.describe();
  EXPECT_NE(o.out.find("backends: cpu"), std::string::npos) << o.out;
  EXPECT_EQ(o.out.find("cuda"), std::string::npos) << o.out;
}

TEST_F(Cli, UnknownFlagIsAUsageErrorOnOneLine) {
  Outcome o = specgap({"probe", "--bogus"});
  expect_one_line_usage_error(o);
  EXPECT_NE(o.err.find("--bogus"), std::string::npos) << o.err;

  o = specgap({"--bogus"});
  expect_one_line_usage_error(o);
}

TEST_F(Cli, OutputFormatsExcludeEachOther) {
  expect_one_line_usage_error(specgap({"--json", "--csv", "probe"}));
  expect_one_line_usage_error(specgap({"probe", "--json", "--md"}));
}

TEST_F(Cli, UnknownSubcommandIsAUsageError) {
  expect_one_line_usage_error(specgap({"bogus"}));
  expect_one_line_usage_error(specgap({}));  // no subcommand at all
}

TEST_F(Cli, BadMemoryFlagsAreUsageErrorsAndRecordNothing) {
  const std::string too_many = std::to_string(allowed_cpu_count() + 1);
  const std::vector<std::vector<std::string>> cases = {
      {"memory", "--threads", "0"},     {"memory", "--threads", "9999"},  {"memory", "--threads", too_many},
      {"memory", "--size", "abc"},      {"memory", "--size", "0"},        {"memory", "--ops", "bogus"},
      {"memory", "--ops", "copy,nope"}, {"memory", "--impl", "nope"},     {"memory", "--reps", "0"},
      {"memory", "--min-size", "-1"},   {"memory", "--max-size", "5X"},
  };
  for (const auto& args : cases) {
    SCOPED_TRACE(::testing::PrintToString(args));
    expect_one_line_usage_error(specgap(args));
  }
  // Flags are checked before the store is opened: not even the database file was made.
  EXPECT_FALSE(fs::exists(db_path()));
}

TEST_F(Cli, BadComputeFlagsAreUsageErrorsAndRecordNothing) {
  const std::vector<std::vector<std::string>> cases = {
      {"compute", "--dtype", "fp99"},  {"compute", "--dtype", "tf32"},   {"compute", "--impl", "nope"},
      {"compute", "--shape", "0"},     {"compute", "--shape", "4x4"},    {"compute", "--shape", "8x8x"},
      {"compute", "--shape", "-5"},    {"compute", "--library", "mkl"},  {"compute", "--peak", "--gemm"},
      {"compute", "--peak", "--shape", "64"}, {"compute", "--gemm", "--impl", "avx2-fma"},
      {"compute", "--reps", "0"},      {"compute", "--threads", "0"},    {"compute", "--shape", "1000000x1000000x1000000"},
  };
  for (const auto& args : cases) {
    SCOPED_TRACE(::testing::PrintToString(args));
    expect_one_line_usage_error(specgap(args));
  }
  EXPECT_FALSE(fs::exists(db_path()));
}

// An OpenBLAS core type below this machine's best, and the name openblas_get_corename() gives it.
#if defined(__aarch64__)
constexpr const char* kCappedCoretype = "CORTEXA57";
constexpr const char* kCappedCorename = "cortexa57";
#else
constexpr const char* kCappedCoretype = "Haswell";
constexpr const char* kCappedCorename = "Haswell";
#endif

TEST_F(Cli, ComputeReportsPeakAndGemmPerDtypeAndRunsCappedOpenblasUncappedToo) {
  options_.env.push_back({"OPENBLAS_CORETYPE", kCappedCoretype});
  const Outcome o = specgap({"compute", "--dtype", "fp32", "--reps", "1", "--shape", "64,16x32x8", "--json"});
  ASSERT_TRUE(o.exited && o.exit_code == 0) << o.describe();
  const auto run = json_of(o);
  ASSERT_EQ(run["results"].size(), 2u) << run["results"].dump();
  const auto& peak = run["results"][0];
  EXPECT_EQ(peak["name"], "peak");
  EXPECT_EQ(peak["dtype"], "fp32");
  EXPECT_EQ(peak["check"], "passed");
  const auto& gemm = run["results"][1];
  EXPECT_EQ(gemm["name"], "gemm");
  EXPECT_EQ(gemm["check"], "passed") << gemm.dump();
  // Every library on every shape (oneDNN with B plain and packed); OpenBLAS twice: as the environment
  // has it, and in a child without.
  std::set<std::string> impls;
  for (auto& v : gemm["variants"]) {
    impls.insert(v["impl"].get<std::string>());
    EXPECT_EQ(v["check"], "passed") << v.dump();
  }
  EXPECT_EQ(impls, (std::set<std::string>{"onednn", "onednn-packed", "openblas", "openblas@child"}));
  EXPECT_EQ(gemm["variants"].size(), 8u);
  for (auto& v : gemm["variants"]) {
    if (v["impl"] == "openblas") {
      EXPECT_EQ(v["kernel"], kCappedCorename);
    } else if (v["impl"] == "openblas@child") {
      EXPECT_NE(v["environment"].get<std::string>().find("without"), std::string::npos);
    }
  }
}

TEST_F(Cli, ThreadsAboveTheAllowedCpusNameTheLimit) {
  const Outcome o = specgap({"memory", "--threads", std::to_string(allowed_cpu_count() + 1)});
  expect_one_line_usage_error(o);
  EXPECT_NE(o.err.find("between 1 and " + std::to_string(allowed_cpu_count())), std::string::npos) << o.err;
}

TEST_F(Cli, DatabaseUnderARegularFileFailsBeforeMeasuring) {
  const fs::path file = dir_ / "not-a-folder";
  std::ofstream(file) << "x";
  const std::string db = (file / "results.db").string();
  const Outcome o = specgap({"--db", db, "memory", "--size", "64M", "--reps", "3"});
  EXPECT_FALSE(o.timed_out);
  ASSERT_TRUE(o.exited) << o.describe();
  EXPECT_NE(o.exit_code, 0) << o.describe();
  const auto lines = o.err_lines();
  ASSERT_EQ(lines.size(), 1u) << o.describe();
  EXPECT_NE(lines[0].find(db), std::string::npos) << lines[0];
  EXPECT_EQ(o.out, "") << "a run was measured and printed";
  EXPECT_FALSE(fs::exists(db_path()));  // and nothing went to SPECGAP_DB instead
}

TEST_F(Cli, ShowOfAnUnknownRunIsAUsageError) {
  const Outcome o = specgap({"show", "nosuchrun"});
  expect_one_line_usage_error(o);
  EXPECT_NE(o.err.find("nosuchrun"), std::string::npos) << o.err;
}

// ---- probe

TEST_F(Cli, ProbeJsonDescribesThisMachineAndRecordsNoRun) {
  const Outcome o = specgap({"probe", "--json"});
  ASSERT_TRUE(o.exited && o.exit_code == 0) << o.describe();
  const auto j = json_of(o);
  ASSERT_TRUE(j.is_object());
  ASSERT_TRUE(j["cpu"]["cores"].is_number()) << j["cpu"].dump();
  EXPECT_GE(j["cpu"]["cores"].get<int>(), 1);
  EXPECT_GE(j["cpu"]["threads"].get<int>(), j["cpu"]["cores"].get<int>());
  EXPECT_FALSE(j["cpu"]["arch"].get<std::string>().empty());
  EXPECT_TRUE(j["cpu"]["caches"].is_array());
  EXPECT_GT(j["memory"]["total_bytes"].get<uint64_t>(), 0u);
  EXPECT_FALSE(fs::exists(db_path()));
}

// Under QEMU (the Arm build's tests) /proc/cpuinfo is the host's: the probe names the emulated CPU
// from its registers, says "emulated", gives no theoretical peak and a row saying what figures measure.
TEST_F(Cli, ProbeNamesAnEmulatedCpuAsSuch) {
  const Outcome o = specgap({"probe", "--json"});
  ASSERT_TRUE(o.exited && o.exit_code == 0) << o.describe();
  const auto cpu = json_of(o)["cpu"];
  const Outcome text = specgap({"probe"});
  ASSERT_TRUE(text.exited && text.exit_code == 0) << text.describe();
  const std::string emulator = user_mode_emulator();
  if (emulator.empty()) {
    EXPECT_EQ(cpu["emulator"], "none");
    EXPECT_EQ(text.out.find("emulator"), std::string::npos) << text.out;
    return;
  }
  EXPECT_EQ(cpu["emulator"], emulator);
  EXPECT_NE(cpu["model_name"].get<std::string>().find("(emulated, MIDR 0x"), std::string::npos) << cpu.dump();
  EXPECT_NE(cpu["vendor"], "AuthenticAMD");
  EXPECT_NE(cpu["vendor"], "GenuineIntel");
  EXPECT_EQ(cpu["uarch"], "emulated");
  EXPECT_EQ(cpu["theoretical_peak"], nlohmann::json::array());
  EXPECT_NE(text.out.find(emulator + ": figures measure the emulator, not a CPU"), std::string::npos) << text.out;
}

// The probe lists what the Vulkan loader sees (lavapipe everywhere `make deps` ran), names the
// device id that measures it (a software one only when named), and a machine without a loader gets
// one line instead.
TEST_F(Cli, ProbeListsVulkanDevicesAndSaysWhyWhenThereAreNone) {
  const Outcome o = specgap({"probe", "--json"});
  ASSERT_TRUE(o.exited && o.exit_code == 0) << o.describe();
  const auto j = json_of(o);
  ASSERT_TRUE(j["vulkan"].is_array() && !j["vulkan"].empty()) << j.dump();
  bool software = false;
  for (const auto& d : j["vulkan"]) software |= d["kind"] == "software";
  EXPECT_TRUE(software) << j["vulkan"].dump();

  const Outcome text = specgap({"probe"});
  ASSERT_TRUE(text.exited && text.exit_code == 0) << text.describe();
  EXPECT_NE(text.out.find("llvmpipe"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("(software, Mesa)"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("software: measured only when named (--device gpu0), never ranked"), std::string::npos)
      << text.out;

  auto options = options_;
  options.env.push_back({"SPECGAP_VULKAN", "/nonexistent/libvulkan.so.1"});
  const Outcome none = run_specgap({"probe"}, options, 60s);
  ASSERT_TRUE(none.exited && none.exit_code == 0) << none.describe();
  EXPECT_NE(none.out.find("none (no Vulkan loader: /nonexistent/libvulkan.so.1 could not be opened)"), std::string::npos)
      << none.out;
}

// ---- a measured run, stored and shown again

TEST_F(Cli, SmallRunIsCompleteStoredAndShownAgain) {
  std::vector<std::string> args = kSmallRun;
  args.push_back("--json");
  const Outcome o = specgap(args);
  ASSERT_TRUE(o.exited && o.exit_code == 0) << o.describe();
  const auto run = json_of(o);
  ASSERT_TRUE(run.is_object());
  EXPECT_EQ(run["schema"], "specgap.run/1");
  EXPECT_EQ(run["status"], "complete");
  const std::string id = run["run_id"];
  ASSERT_FALSE(id.empty());
  ASSERT_EQ(run["results"].size(), 6u) << run["results"].dump();
  const std::vector<std::string> ops = {"copy", "scale", "add", "triad", "read", "write"};
  for (size_t i = 0; i < ops.size(); ++i) {
    const auto& r = run["results"][i];
    EXPECT_EQ(r["name"], ops[i]);
    EXPECT_EQ(r["check"], "passed") << r.dump();
    EXPECT_TRUE(r["value"].is_number()) << r.dump();
    EXPECT_EQ(r["params"]["array_bytes"], 4u << 20);
  }
  EXPECT_GT(run["samples"].get<int64_t>(), 0);

  const auto runs = history();
  ASSERT_EQ(runs.size(), 1u) << runs.dump();
  EXPECT_EQ(runs[0]["run_id"], id);
  EXPECT_EQ(runs[0]["status"], "complete");
  EXPECT_EQ(runs[0]["results"], 6);
  EXPECT_EQ(runs[0]["samples"], run["samples"]);

  // `show` re-renders the stored copy: the same results, figure for figure.
  for (const std::string& which : {id, id.substr(0, id.size() - 2)}) {  // the id and a unique prefix
    const Outcome shown = specgap({"show", which, "--json"});
    ASSERT_TRUE(shown.exited && shown.exit_code == 0) << shown.describe();
    const auto again = json_of(shown);
    EXPECT_EQ(again["run_id"], id);
    EXPECT_EQ(again["status"], "complete");
    EXPECT_EQ(again["samples"], run["samples"]);
    EXPECT_EQ(again["results"], run["results"]);
    EXPECT_EQ(again["machine"], run["machine"]);
  }
}

TEST_F(Cli, AThreadListMeasuresBandwidthAtEachCount) {
  const Outcome o = specgap({"memory", "--threads", "1," + std::to_string(allowed_cpu_count()), "--size", "4M",
                             "--reps", "2", "--ops", "triad", "--json"});
  ASSERT_TRUE(o.exited && o.exit_code == 0) << o.describe();
  const auto run = json_of(o);
  ASSERT_EQ(run["results"].size(), 2u);
  EXPECT_EQ(run["results"][0]["params"]["threads"], 1);
  EXPECT_EQ(run["results"][1]["params"]["threads"], allowed_cpu_count());
  for (auto& r : run["results"]) EXPECT_EQ(r["check"], "passed");
}

TEST_F(Cli, AThreadListIsOnlyForBandwidth) {
  expect_one_line_usage_error(specgap({"memory", "--sweep", "--threads", "1,1"}));
  expect_one_line_usage_error(specgap({"memory", "--latency", "--threads", "1,1"}));
}

TEST_F(Cli, CsvHasAHeaderAndOneLinePerResult) {
  std::vector<std::string> args = kSmallRun;
  args.push_back("--csv");
  const Outcome o = specgap(args);
  ASSERT_TRUE(o.exited && o.exit_code == 0) << o.describe();
  std::vector<std::string> lines;
  std::istringstream in(o.out);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  ASSERT_EQ(lines.size(), 7u) << o.out;
  EXPECT_EQ(lines[0].rfind("run_id,suite,device,name,", 0), 0u) << lines[0];
  const auto columns = std::count(lines[0].begin(), lines[0].end(), ',');
  for (size_t i = 1; i < lines.size(); ++i) {
    EXPECT_EQ(std::count(lines[i].begin(), lines[i].end(), ','), columns) << lines[i];
    EXPECT_NE(lines[i].find(",memory,cpu,"), std::string::npos) << lines[i];
  }

  // The stored run renders to the same CSV.
  const auto runs = history();
  ASSERT_EQ(runs.size(), 1u);
  const Outcome shown = specgap({"show", runs[0]["run_id"], "--csv"});
  ASSERT_TRUE(shown.exited && shown.exit_code == 0) << shown.describe();
  EXPECT_EQ(shown.out, o.out);
}

// ---- runs that end early

TEST_F(Cli, CtrlCStopsPromptlyWith130AndKeepsTheSamples) {
  SpecgapProcess child(kLongRun, options_);
  ASSERT_EQ(child.spawn_error(), "");
  const auto stored = wait_for_stored_samples(child);
  ASSERT_TRUE(stored.has_value()) << "no samples stored while running: " << child.finish(1s).describe();
  const std::string id = (*stored)["run_id"];
  ASSERT_EQ((*stored)["status"], "running");

  child.send(SIGINT);
  // The run promises to stop within a second of Ctrl-C; two leave room for a loaded machine.
  ASSERT_TRUE(child.wait_for_exit(2s)) << "still running 2 s after SIGINT";
  const Outcome o = child.finish(1s);
  ASSERT_TRUE(o.exited) << o.describe();
  EXPECT_EQ(o.exit_code, 130) << o.describe();
  EXPECT_NE(o.err.find("interrupted; run " + id), std::string::npos) << o.err;

  const Outcome shown = specgap({"show", id, "--json"});
  ASSERT_TRUE(shown.exited && shown.exit_code == 0) << shown.describe();
  const auto run = json_of(shown);
  EXPECT_EQ(run["status"], "interrupted");
  EXPECT_GT(run["samples"].get<int64_t>(), 0);
  EXPECT_GE(run["samples"].get<int64_t>(), (*stored)["samples"].get<int64_t>());
  EXPECT_GE(run["results"].size(), (*stored)["results"].get<size_t>());
  EXPECT_FALSE(run["finished_at"].is_null());
}

// Processes running `specgap gemm-worker` for this test's database (a worker inherits SPECGAP_DB).
int workers_of(const std::string& db) {
  int count = 0;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    std::ifstream cmdline(entry.path() / "cmdline"), environ_file(entry.path() / "environ");
    std::string args((std::istreambuf_iterator<char>(cmdline)), {}), env((std::istreambuf_iterator<char>(environ_file)), {});
    if (args.find("gemm-worker") != std::string::npos && env.find("SPECGAP_DB=" + db) != std::string::npos) ++count;
  }
  return count;
}

TEST_F(Cli, CtrlCDuringGemmStopsTheRunAndItsWorker) {
  options_.env.push_back({"OPENBLAS_CORETYPE", kCappedCoretype});  // so OpenBLAS also runs in a worker
  // A library call is not interrupted, only the run between calls: under an emulator each is made
  // smaller so that one still ends within the promise (QEMU runs a 1536^3 fp64 GEMM for seconds).
  const std::string n = user_mode_emulator().empty() ? "1536" : "384";
  SpecgapProcess child({"compute", "--dtype", "fp64", "--reps", "3", "--shape",
                        n + "," + n + "," + n + "," + n + "," + n + "," + n + "," + n},
                       options_);
  ASSERT_EQ(child.spawn_error(), "");
  const auto stored = wait_for_stored_samples(child);  // the peak result: GEMM comes next
  ASSERT_TRUE(stored.has_value()) << child.finish(1s).describe();
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (workers_of(db_path()) == 0 && std::chrono::steady_clock::now() < deadline) child.wait_for_exit(50ms);
  ASSERT_EQ(workers_of(db_path()), 1) << "no GEMM worker started";
  child.wait_for_exit(500ms);

  child.send(SIGINT);
  ASSERT_TRUE(child.wait_for_exit(3s)) << "still running 3 s after SIGINT";
  const Outcome o = child.finish(1s);
  ASSERT_TRUE(o.exited) << o.describe();
  EXPECT_EQ(o.exit_code, 130) << o.describe();
  for (int i = 0; i < 20 && workers_of(db_path()) > 0; ++i) std::this_thread::sleep_for(50ms);
  EXPECT_EQ(workers_of(db_path()), 0) << "the GEMM worker outlived its run";
}

TEST_F(Cli, SigtermStopsTheRunWithTheShellsExitCodeForIt) {
  SpecgapProcess child(kLongRun, options_);
  ASSERT_EQ(child.spawn_error(), "");
  const auto stored = wait_for_stored_samples(child);
  ASSERT_TRUE(stored.has_value()) << "no samples stored while running: " << child.finish(1s).describe();
  child.send(SIGTERM);
  ASSERT_TRUE(child.wait_for_exit(2s)) << "still running 2 s after SIGTERM";
  const Outcome o = child.finish(1s);
  ASSERT_TRUE(o.exited) << o.describe();
  EXPECT_EQ(o.exit_code, 128 + SIGTERM) << o.describe();
  const auto run = json_of(specgap({"show", (*stored)["run_id"], "--json"}));
  EXPECT_EQ(run["status"], "interrupted");
}

TEST_F(Cli, KillNineIsReportedAsInterruptedWithWhatWasStored) {
  SpecgapProcess child(kLongRun, options_);
  ASSERT_EQ(child.spawn_error(), "");
  const auto stored = wait_for_stored_samples(child);
  ASSERT_TRUE(stored.has_value()) << "no samples stored while running: " << child.finish(1s).describe();
  const std::string id = (*stored)["run_id"];
  const pid_t pid = child.pid();
  child.send(SIGKILL);
  const Outcome killed = child.finish(10s);
  ASSERT_FALSE(killed.exited) << killed.describe();
  EXPECT_EQ(killed.signal, SIGKILL);

  // The next specgap to open the store says what happened, once.
  const Outcome first = specgap({"history"});
  ASSERT_TRUE(first.exited && first.exit_code == 0) << first.describe();
  EXPECT_NE(first.err.find("run " + id + " was interrupted"), std::string::npos) << first.err;
  EXPECT_EQ(first.err_lines().size(), 1u) << first.err;
  const Outcome second = specgap({"history"});
  EXPECT_EQ(second.err, "") << "reported twice";

  const Outcome shown = specgap({"show", id, "--json"});
  ASSERT_TRUE(shown.exited && shown.exit_code == 0) << shown.describe();
  const auto run = json_of(shown);
  EXPECT_EQ(run["status"], "interrupted");
  EXPECT_GE(run["samples"].get<int64_t>(), (*stored)["samples"].get<int64_t>());
  EXPECT_GE(run["results"].size(), (*stored)["results"].get<size_t>());
  EXPECT_GT(run["results"].size(), 0u);
  for (const auto& r : run["results"]) EXPECT_EQ(r["check"], "passed") << r.dump();
  EXPECT_NE(run.value("error", "").find("process " + std::to_string(pid)), std::string::npos) << run.dump(1);
}

TEST_F(Cli, FullDiskDuringARunFailsCleanlyOnOneLine) {
  // Make the store first, so that opening it again needs little room; then cap file growth a few
  // KiB above the largest file of the database: the open fits, the run's samples do not.
  ASSERT_EQ(history().size(), 0u);
  uintmax_t biggest = 0;
  for (const auto& entry : fs::directory_iterator(dir_))
    if (entry.is_regular_file()) biggest = std::max(biggest, entry.file_size());
  ASSERT_GT(biggest, 0u);
  SpawnOptions limited = options_;
  limited.file_size_limit = rlim_t(biggest + 8 * 1024);

  const Outcome o = run_specgap(kSmallRun, limited, 60s);
  EXPECT_FALSE(o.timed_out);
  ASSERT_TRUE(o.exited) << "died instead of failing: " << o.describe();
  EXPECT_NE(o.exit_code, 0) << o.describe();
  EXPECT_NE(o.exit_code, 130) << o.describe();
  const auto lines = o.err_lines();
  ASSERT_FALSE(lines.empty());
  bool says_disk = false;
  for (const auto& line : lines) {
    EXPECT_EQ(line.rfind("specgap: ", 0), 0u) << line;
    says_disk |= line.find("disk full") != std::string::npos && line.find(db_path()) != std::string::npos;
  }
  EXPECT_TRUE(says_disk) << o.err;

  // The run began before the disk filled up, and what was committed stays readable.
  const auto runs = history();
  ASSERT_EQ(runs.size(), 1u) << runs.dump();
  const Outcome shown = specgap({"show", runs[0]["run_id"], "--json"});
  ASSERT_TRUE(shown.exited && shown.exit_code == 0) << shown.describe();
  EXPECT_EQ(json_of(shown)["samples"], runs[0]["samples"]);
}

TEST_F(Cli, BadLlmFlagsAreUsageErrorsAndRecordNothing) {
  const std::vector<std::vector<std::string>> cases = {
      {"llm", "--preset", "gpt-5"},   {"llm", "--quant", "q5_k"}, {"llm", "-p", "-1"},
      {"llm", "-p", "0", "-n", "0"},  {"llm", "-r", "0"},         {"llm", "--model", "/nonexistent.gguf"},
      {"llm", "--ubatch", "0"},       {"llm", "-t", "0"},         {"llm", "--preset", "gpt-oss-20b", "--quant", "q4_0"},
      {"llm", "--kernels", "sse9"},   {"llm", "--greedy", "4"},   {"llm", "--greedy", "0", "--prompt-tokens", "1"},
  };
  for (const auto& args : cases) {
    SCOPED_TRACE(::testing::PrintToString(args));
    expect_one_line_usage_error(specgap(args));
  }
  EXPECT_FALSE(fs::exists(db_path()));
}

TEST_F(Cli, AModelLargerThanMemoryIsRefusedInOneLineBeforeAnythingIsAllocated) {
  const Outcome o = specgap({"llm", "--preset", "llama-3.3-70b", "--quant", "f16"});
  ASSERT_TRUE(o.exited) << o.describe();
  EXPECT_EQ(o.exit_code, 1) << o.describe();
  ASSERT_EQ(o.err_lines().size(), 1u) << o.describe();
  EXPECT_NE(o.err.find("llama-3.3-70b"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("is available"), std::string::npos) << o.err;
}

// gpt-oss-120b (59 GiB) does not fit a machine of this kind: refused in one line with its sizes,
// before a run is recorded.
TEST_F(Cli, GptOss120bIsRefusedInOneLineWithItsSizes) {
  const Outcome o = specgap({"llm", "--preset", "gpt-oss-120b", "-p", "8", "-n", "2", "-r", "1"});
  ASSERT_TRUE(o.exited) << o.describe();
  EXPECT_EQ(o.exit_code, 1) << o.describe();
  ASSERT_EQ(o.err_lines().size(), 1u) << o.describe();
  EXPECT_NE(o.err.find("gpt-oss-120b"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("weights 58.45 GiB"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("is available"), std::string::npos) << o.err;
  EXPECT_FALSE(fs::exists(db_path()));
}

// The tiny GPT-OSS (support/small_gpt_oss.h) with random weights of `seed`, written as GGUF.
std::string write_tiny_gpt_oss(const fs::path& dir, uint64_t seed) {
  const std::string path = (dir / "tiny-gpt-oss.gguf").string();
  llm::PresetSource preset(test::small_gpt_oss(), GgmlType::mxfp4, seed, [](int64_t n, const std::function<void(int64_t)>& fn) {
    for (int64_t i = 0; i < n; ++i) fn(i);
  });
  llm::write_preset_gguf(preset, path);
  return path;
}

// A GPT-OSS file runs through `specgap llm` like a Llama one: its results name the architecture,
// pass their check, and count the weights of the experts a token uses, not all of them.
TEST_F(Cli, AGptOssFileRunsAndCountsTheExpertsATokenUses) {
  const std::string path = write_tiny_gpt_oss(dir_, 1);
  const Outcome o = specgap({"llm", "-m", path, "-p", "16", "-n", "4", "-r", "1", "--no-bandwidth", "--json"});
  ASSERT_TRUE(o.exited && o.exit_code == 0) << o.describe();
  const auto run = json_of(o);
  ASSERT_FALSE(run["results"].empty());
  for (const auto& r : run["results"]) {
    EXPECT_EQ(r["check"], "passed") << r.dump();
    EXPECT_EQ(r["params"]["architecture"], "gpt-oss") << r.dump();
    if (r["name"] == "tg4") {
      // Per layer: q, k, v, o and the router, and 2 of the 4 experts; then the output and one
      // embedding row. Packed MXFP4 and Q8_0 are the file's bytes, in groups of 16 rows (the
      // router's 4 rows of F32 read as 16, the output's 300 as 304).
      const double q8 = 34.0 / 32, mx = 17.0 / 32;
      const double layer = (64 * 64 + 2 * 64 * 32 + 64 * 64) * q8 + 16 * 64 * 4 + 2 * (3 * 64 * 96) * mx;
      const double expected = 2 * layer + 304 * 64 * q8 + 64 * q8;
      EXPECT_NEAR(r["params"]["weight_bytes_per_token"].get<double>(), expected, 1) << r.dump();
    }
  }
}

// --greedy prints the argmax of each step (the first of its five highest logits, which come in
// order), the same on a second run and with the prompt fed a token at a time; a prompt token outside the vocabulary is one line. --kernels
// generic runs the portable kernels, and the results name them.
TEST_F(Cli, GreedyTokensAreEachStepsArgmaxAndKernelsNameTheirPath) {
  const std::string path = write_tiny_gpt_oss(dir_, 3);
  const std::vector<std::string> args = {"--json", "llm", "-m", path, "--greedy", "6", "--prompt-tokens", "1,5,77,200"};
  const Outcome a = specgap(args), b = specgap(args);
  ASSERT_TRUE(a.exited && a.exit_code == 0) << a.describe();
  const auto out = nlohmann::json::parse(a.out);
  ASSERT_EQ(out["greedy_tokens"].size(), 6u) << a.out;
  ASSERT_EQ(out["top_logits"].size(), 6u) << a.out;
  for (size_t i = 0; i < 6; ++i) {
    const auto& top = out["top_logits"][i];
    ASSERT_EQ(top.size(), 5u);
    EXPECT_EQ(top[0]["id"], out["greedy_tokens"][i]);
    for (size_t k = 1; k < 5; ++k) EXPECT_GE(top[k - 1]["logit"].get<double>(), top[k]["logit"].get<double>());
    EXPECT_LT(out["greedy_tokens"][i].get<int>(), 300);
  }
  EXPECT_EQ(a.out, b.out);
  // The prompt fed one token per call (--ubatch 1) gives the same tokens and logits, bit for bit: the
  // kernels' integer sums do not depend on how many tokens a call takes.
  std::vector<std::string> one_by_one = args;
  one_by_one.insert(one_by_one.end(), {"--ubatch", "1"});
  const Outcome c = specgap(one_by_one);
  ASSERT_TRUE(c.exited && c.exit_code == 0) << c.describe();
  EXPECT_EQ(c.out, a.out);
  const Outcome bad = specgap({"llm", "-m", path, "--greedy", "2", "--prompt-tokens", "1,300"});
  ASSERT_TRUE(bad.exited) << bad.describe();
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_EQ(bad.err_lines().size(), 1u) << bad.describe();
  EXPECT_FALSE(fs::exists(db_path()));

  const Outcome g = specgap({"llm", "-m", path, "--kernels", "generic", "-p", "8", "-n", "2", "-r", "1", "--no-bandwidth", "--json"});
  ASSERT_TRUE(g.exited && g.exit_code == 0) << g.describe();
  for (const auto& r : json_of(g)["results"]) {
    EXPECT_EQ(r["check"], "passed") << r.dump();
    EXPECT_NE(r["impl"].get<std::string>().find("mxfp4 generic"), std::string::npos) << r.dump();
    EXPECT_EQ(r["impl"].get<std::string>().find("avx"), std::string::npos) << r.dump();
  }
}

TEST_F(Cli, LlmReportsPromptAndGenerationRatesWithWhatExplainsThem) {
  SPECGAP_SKIP_UNDER_EMULATION("the 1B model takes minutes there; the Arm build's own llm test runs it once");
  const Outcome o = specgap({"llm", "-p", "16", "-n", "4", "-r", "1", "--no-bandwidth", "--json"});
  ASSERT_TRUE(o.exited && o.exit_code == 0) << o.describe();
  const auto run = json_of(o);
  std::set<std::string> names;
  for (const auto& r : run["results"]) {
    names.insert(r["name"].get<std::string>());
    EXPECT_EQ(r["suite"], "llm");
    EXPECT_EQ(r["check"], "passed") << r.dump();
    EXPECT_GT(r["value"].get<double>(), 0) << r.dump();
    EXPECT_EQ(r["params"]["model_name"], "llama-3.2-1b");
    EXPECT_EQ(r["params"]["quant"], "q4_0");
    if (r["name"] == "tg4") {
      // Every weight matrix once per token: about 0.75 GB for this model in Q4_0 with a Q6_K output.
      const double bytes = r["params"]["weight_bytes_per_token"].get<double>();
      EXPECT_GT(bytes, 0.7e9);
      EXPECT_LT(bytes, 0.8e9);
    }
  }
  EXPECT_EQ(names, (std::set<std::string>{"pp16", "tg4", "ttft", "tpot"}));
}

// Each LLM figure's power comes from its own timed repetitions: the suite emits its results after
// all of them, with other figures' repetitions between, and a window opened at a first sample would
// give the first figure everyone's power and the others none. The stand-in NVML reports a board's
// power at every tick, so every figure that lasted a few ticks has a mean, over a window no longer
// than its repetitions.
TEST_F(Cli, EachLlmFigureTakesPowerOverItsOwnRepetitions) {
  SPECGAP_SKIP_UNDER_EMULATION("the 1B model takes minutes there; the Arm build's own llm test runs it once");
  options_.env.push_back({"SPECGAP_NVML", SPECGAP_FAKE_NVML});
  const Outcome o = specgap({"--sample-hz", "100", "llm", "-p", "16", "-n", "8", "-r", "2", "--no-bandwidth", "--json"}, 120s);
  ASSERT_TRUE(o.exited && o.exit_code == 0) << o.describe();
  const auto run = json_of(o);
  ASSERT_EQ(run["results"].size(), 4u) << run["results"].dump();
  for (const auto& r : run["results"]) {
    const auto& power = r["params"]["power"];
    EXPECT_TRUE(power.contains("mean_w")) << r["name"] << ": " << power.dump();
    if (r["name"] == "pp16") {
      double timed = 0;  // seconds: 16 tokens at each repetition's rate
      for (const auto& rate : r["params"]["samples"]) timed += 16 / rate.get<double>();
      EXPECT_LE(power["window_seconds"].get<double>(), timed * 1.05 + 1e-3) << power.dump();
    }
  }
}

}  // namespace
}  // namespace specgap::test

namespace specgap::test {
namespace {

// A soak a few seconds long: the memory workload on small arrays, one-second intervals.
const std::vector<std::string> kShortSoak = {"soak", "--workload", "memory", "--minutes", "0.05", "--interval", "1",
                                             "--size", "16M", "--json"};

TEST_F(Cli, ASoakReportsEachIntervalItsConclusionAndWhatTelemetryIsMissing) {
  options_.env.push_back({"SPECGAP_NVML", "libnvidia-ml-not-here.so.1"});
  const Outcome o = specgap(kShortSoak, 120s);
  ASSERT_TRUE(o.exited && o.exit_code == 0) << o.describe();
  const auto run = json_of(o);
  ASSERT_EQ(run["results"].size(), 1u) << run.dump(1);
  const auto& r = run["results"][0];
  EXPECT_EQ(r["suite"], "soak");
  EXPECT_EQ(r["name"], "triad");
  EXPECT_EQ(r["check"], "passed");
  EXPECT_GT(r["value"].get<double>(), 0);
  const auto& intervals = r["params"]["intervals"];
  EXPECT_GE(intervals.size(), 2u);
  EXPECT_LE(intervals.size(), 4u);
  for (auto& in : intervals) EXPECT_GT(in["work"].get<double>(), 0) << in.dump();
  EXPECT_GT(r["params"]["sustained_ratio"].get<double>(), 0);
  EXPECT_FALSE(r["params"]["conclusion"].get<std::string>().empty());
  EXPECT_EQ(run["samples"].get<size_t>(), intervals.size()) << "one sample per interval";
  const auto& telemetry = run["telemetry"];
  EXPECT_DOUBLE_EQ(telemetry["hz"].get<double>(), 10);
  EXPECT_GE(telemetry["timeline"].size(), 20u) << "3 s and more at 10 Hz";
  // What sampling cost is measured on its own thread and kept: well under 1% of the machine.
  const double cpu = telemetry["cpu_seconds"], wall = telemetry["wall_seconds"];
  EXPECT_GT(cpu, 0);
  EXPECT_GT(wall, 3);
  EXPECT_LT(cpu / wall, 0.05) << cpu << " CPU s over " << wall << " s";
  bool gpu_line = false;
  for (auto& u : telemetry["unavailable"]) gpu_line |= u.get<std::string>().find("libnvidia-ml-not-here") != std::string::npos;
  EXPECT_TRUE(gpu_line) << telemetry["unavailable"].dump();
  EXPECT_TRUE(r["params"].contains("power")) << "every result says its power, or why there is none";

  // The text form shows the timeline and names what is missing.
  const Outcome shown = specgap({"show", run["run_id"]});
  ASSERT_TRUE(shown.exited && shown.exit_code == 0) << shown.describe();
  EXPECT_NE(shown.out.find("Soak: triad"), std::string::npos) << shown.out;
  EXPECT_NE(shown.out.find("conclusion: "), std::string::npos) << shown.out;
  EXPECT_NE(shown.out.find("not available here: NVIDIA GPUs: no libnvidia-ml-not-here.so.1"), std::string::npos)
      << shown.out;
}

TEST_F(Cli, AGpuThatThrottlesDuringASoakIsNamedInTheConclusion) {
  options_.env.push_back({"SPECGAP_NVML", SPECGAP_FAKE_NVML});
  options_.env.push_back({"FAKE_NVML_THROTTLE_AFTER", "1.5"});
  const Outcome o = specgap(kShortSoak, 120s);
  ASSERT_TRUE(o.exited && o.exit_code == 0) << o.describe();
  const auto run = json_of(o);
  ASSERT_EQ(run["machine"]["gpus"].size(), 1u) << run["machine"].dump();
  const auto& params = run["results"][0]["params"];
  const std::string conclusion = params["conclusion"];
  EXPECT_NE(conclusion.find("gpu0 sw_thermal_slowdown"), std::string::npos) << conclusion;
  EXPECT_NE(conclusion.find("gpu0 hw_thermal_slowdown"), std::string::npos) << conclusion;
  const auto& timeline = run["telemetry"]["timeline"];
  ASSERT_FALSE(timeline.empty());
  EXPECT_DOUBLE_EQ(timeline.back()["readings"]["gpu0.sm_clock_mhz"].get<double>(), 1100);
  EXPECT_DOUBLE_EQ(params["power"]["mean_w"].get<double>() > 0, true) << params["power"].dump();
}

TEST_F(Cli, SamplingOffLeavesNoTimelineAndSaysSo) {
  auto args = kShortSoak;
  args.insert(args.begin(), {"--sample-hz", "0"});
  const Outcome o = specgap(args, 120s);
  ASSERT_TRUE(o.exited && o.exit_code == 0) << o.describe();
  const auto run = json_of(o);
  EXPECT_DOUBLE_EQ(run["telemetry"]["hz"].get<double>(), 0);
  EXPECT_TRUE(run["telemetry"]["timeline"].empty());
  EXPECT_FALSE(run["results"][0]["params"].contains("power"));
}

TEST_F(Cli, BadSoakFlagsAreUsageErrorsAndRecordNothing) {
  for (const auto& args : std::vector<std::vector<std::string>>{{"soak", "--workload", "furnace"},
                                                                {"soak", "--minutes", "0"},
                                                                {"soak", "--minutes", "-1"},
                                                                {"soak", "--interval", "0.1"},
                                                                {"soak", "--minutes", "0.1", "--interval", "60"},
                                                                {"soak", "--workload", "memory", "--size", "lots"},
                                                                {"--sample-hz", "1000", "soak"},
                                                                {"--sample-hz", "-1", "soak"}}) {
    const Outcome o = specgap(args);
    expect_one_line_usage_error(o);
  }
  EXPECT_EQ(history().size(), 0u);
}

TEST_F(Cli, AKilledSoakIsReportedWithItsDurationAndItsTimelineIsShown) {
  SpecgapProcess child({"soak", "--workload", "memory", "--minutes", "2", "--interval", "0.5", "--size", "16M"},
                       options_);
  ASSERT_EQ(child.spawn_error(), "");
  // Until two intervals are stored.
  std::optional<nlohmann::json> stored;
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (!stored && std::chrono::steady_clock::now() < deadline && child.running()) {
    const auto runs = history();
    if (runs.is_array() && !runs.empty() && runs[0]["samples"].get<int64_t>() >= 2) stored = runs[0];
    else child.wait_for_exit(100ms);
  }
  ASSERT_TRUE(stored.has_value()) << child.finish(1s).describe();
  child.send(SIGKILL);
  const Outcome killed = child.finish(10s);
  ASSERT_FALSE(killed.exited) << killed.describe();

  const Outcome next = specgap({"history"});
  ASSERT_TRUE(next.exited && next.exit_code == 0) << next.describe();
  const std::string id = (*stored)["run_id"];
  EXPECT_NE(next.err.find("soak of "), std::string::npos) << next.err;
  EXPECT_NE(next.err.find("stopped after "), std::string::npos) << next.err;
  EXPECT_NE(next.err.find("its process was killed"), std::string::npos) << next.err;
  EXPECT_NE(next.err.find("MHz, add chain)"), std::string::npos) << "the soak's own clock gives the trend: " << next.err;
  EXPECT_NE(next.err.find("specgap show " + id), std::string::npos) << next.err;
  EXPECT_EQ(next.err_lines().size(), 1u) << next.err;

  const Outcome shown = specgap({"show", id, "--json"});
  ASSERT_TRUE(shown.exited && shown.exit_code == 0) << shown.describe();
  const auto run = json_of(shown);
  EXPECT_EQ(run["status"], "interrupted");
  EXPECT_GE(run["samples"].get<int64_t>(), 2);
  EXPECT_GE(run["telemetry"]["timeline"].size(), 5u) << "the timeline up to the kill";
  ASSERT_EQ(run["results"].size(), 1u) << "the soak rebuilt from its stored intervals";
  const auto& soak = run["results"][0];
  EXPECT_EQ(soak["name"], "triad");
  EXPECT_TRUE(soak["value"].is_null()) << "no sustained figure for a soak that did not finish";
  EXPECT_EQ(soak["check"].get<std::string>().rfind("stopped:", 0), 0u) << soak["check"];
  EXPECT_GE(soak["params"]["intervals"].size(), 2u);
  const Outcome text = specgap({"show", id});
  EXPECT_NE(text.out.find("Soak: triad"), std::string::npos) << text.out;
}

}  // namespace
}  // namespace specgap::test

namespace specgap::test {
namespace {

TEST_F(Cli, CatalogListsTheReferenceSystemsAndShowsOneWithItsSources) {
  const Outcome list = specgap({"catalog"});
  ASSERT_TRUE(list.exited && list.exit_code == 0) << list.describe();
  EXPECT_NE(list.out.find("nvidia-dgx-spark"), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("nvidia-rtx-3090"), std::string::npos) << list.out;
  const Outcome shown = specgap({"catalog", "nvidia-dgx-spark", "--json"});
  ASSERT_TRUE(shown.exited && shown.exit_code == 0) << shown.describe();
  const auto spark = json_of(shown);
  EXPECT_EQ(spark["kind"], "apu");
  bool sparse_fp4 = false;
  for (auto& c : spark["claims"]) {
    EXPECT_FALSE(c["source"].get<std::string>().empty()) << c.dump();
    sparse_fp4 |= c["dtype"] == "fp4" && c["sparse"] == true && c["value"] == 1000;
  }
  EXPECT_TRUE(sparse_fp4) << spark["claims"].dump();
  EXPECT_EQ(history().size(), 0u) << "reading the catalog records no run";
}

TEST_F(Cli, AnUnknownSystemOrAMissingCatalogFolderIsOneLine) {
  expect_one_line_usage_error(specgap({"catalog", "nvidia-dgx-puddle"}));
  const Outcome missing = specgap({"catalog", "--catalog", (dir_ / "nowhere").string()});
  ASSERT_TRUE(missing.exited) << missing.describe();
  EXPECT_EQ(missing.exit_code, 1) << missing.describe();
  EXPECT_EQ(missing.err_lines().size(), 1u) << missing.err;
  EXPECT_NE(missing.err.find("nowhere does not exist"), std::string::npos) << missing.err;
}

// ---- predict, compare, diff, audit

TEST_F(Cli, PredictOnACatalogSystemIsAProjectionBesideThePublishedFigures) {
  const Outcome o = specgap({"predict", "--model", "gpt-oss-120b", "--system", "nvidia-dgx-spark", "--json"});
  ASSERT_TRUE(o.exited && o.exit_code == 0) << o.describe();
  const auto p = json_of(o);
  EXPECT_EQ(p["projection"], true);
  EXPECT_EQ(p["quant"], "mxfp4");
  EXPECT_EQ(p["fits"], true);  // 63 GB in 128 GB
  EXPECT_GT(p["decode_tps"].get<double>(), 0);
  EXPECT_LT(p["decode_tps"].get<double>(), p["decode_ceiling_tps"].get<double>());
  bool llama_bench_row = false;
  for (const auto& row : p["published"])
    if (row["published"] == 59.02) {
      llama_bench_row = true;
      EXPECT_TRUE(row["error"].is_number()) << row.dump();
    }
  EXPECT_TRUE(llama_bench_row) << p["published"].dump();
  EXPECT_EQ(history().size(), 0u) << "a projection records no run";

  const Outcome text = specgap({"predict", "--model", "llama-3.3-70b", "--system", "nvidia-rtx-3090"});
  ASSERT_TRUE(text.exited && text.exit_code == 0) << text.describe();
  EXPECT_NE(text.out.find("Projection (not a measurement)"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("fits in memory        NO"), std::string::npos) << text.out;  // 42 GB in 24 GB
}

TEST_F(Cli, PredictRefusesWhatItCannotProjectOnOneLine) {
  expect_one_line_usage_error(specgap({"predict", "--model", "qwen-7b", "--system", "nvidia-dgx-spark"}));
  expect_one_line_usage_error(specgap({"predict", "--model", "llama-3.1-8b", "--quant", "mxfp4", "--system", "nvidia-dgx-spark"}));
  expect_one_line_usage_error(specgap({"predict", "--model", "llama-3.1-8b", "--system", "nvidia-dgx-puddle"}));
  expect_one_line_usage_error(specgap({"predict", "--system", "nvidia-dgx-spark"}));
  // This machine without a measurement: say what to run.
  const Outcome o = specgap({"predict", "--model", "llama-3.1-8b"});
  expect_one_line_usage_error(o);
  EXPECT_NE(o.err.find("specgap memory"), std::string::npos) << o.err;
}

TEST_F(Cli, PredictAndCompareRefuseACacheSizedArrayAsThisMachinesBandwidth) {
  const Outcome run = specgap({"memory", "--size", "4K", "--reps", "2"});
  ASSERT_TRUE(run.exited && run.exit_code == 0) << run.describe();
  for (const auto& args : std::vector<std::vector<std::string>>{{"predict", "--model", "llama-3.2-1b", "--quant", "q4_0"},
                                                                {"compare"}}) {
    const Outcome o = specgap(args);
    expect_one_line_usage_error(o);
    EXPECT_NE(o.err.find("4x the last-level cache"), std::string::npos) << o.err;
  }
}

TEST_F(Cli, PredictAndCompareOnThisMachineStandOnItsMeasuredBandwidth) {
  // Arrays of 4x the last-level cache the probe finds, the least that measures DRAM; read alone is enough,
  // and one variant: under QEMU, every read variant over 1 GiB arrays (a 260 MiB L3) ran past the minute.
  const Outcome probe = specgap({"probe", "--json"});
  ASSERT_TRUE(probe.exited && probe.exit_code == 0) << probe.describe();
  const auto machine = json_of(probe);
  uint64_t level = 0, llc = 0;
  for (const auto& c : machine["cpu"]["caches"])
    if (c["type"] != "instruction" && c["level"].get<uint64_t>() >= level) {
      if (c["level"].get<uint64_t>() > level) llc = 0;
      level = c["level"].get<uint64_t>();
      llc += c["size_bytes"].get<uint64_t>() * c["instances"].get<uint64_t>();
    }
  const Outcome run = specgap({"memory", "--ops", "read", "--impl", "scalar", "--size", std::to_string(4 * llc), "--reps", "2", "--json"});
  ASSERT_TRUE(run.exited && run.exit_code == 0) << run.describe();
  double best = 0;
  const auto measured = json_of(run);
  for (const auto& r : measured["results"]) best = std::max(best, r["value"].get<double>());
  // A later run on cache-sized arrays measured no DRAM: the figures still stand on the run before it.
  ASSERT_EQ(specgap(kSmallRun).exit_code, 0);

  const Outcome p = specgap({"predict", "--model", "llama-3.2-1b", "--quant", "q4_0", "--json"});
  ASSERT_TRUE(p.exited && p.exit_code == 0) << p.describe();
  const auto j = json_of(p);
  EXPECT_EQ(j["system"]["id"], "this-machine");
  EXPECT_DOUBLE_EQ(j["bandwidth_gbs"].get<double>(), best);

  const Outcome c = specgap({"compare", "--price", "1000", "--json"});
  ASSERT_TRUE(c.exited && c.exit_code == 0) << c.describe();
  const auto ranking = json_of(c);
  EXPECT_EQ(ranking["model"], "llama-3.1-8b");
  int here = 0;
  double previous = 1e300;
  for (const auto& row : ranking["rows"]) {
    if (row["this_machine"] == true) {
      ++here;
      EXPECT_NEAR(row["decode_per_kusd"].get<double>(), row["decode_tps"].get<double>(), 1e-9);  // $1000
    }
    if (row["fits"] != false && row["decode_tps"].is_number()) {
      EXPECT_LE(row["decode_tps"].get<double>(), previous) << "fitting systems ranked by decode";
      previous = row["decode_tps"].get<double>();
    }
  }
  EXPECT_EQ(here, 1);
  EXPECT_GT(ranking["rows"].size(), 10u);
  // The hardware beside it: this machine's measured bandwidth among the claims, sorted by bandwidth.
  double previous_bw = 1e300;
  int measured_rows = 0;
  for (const auto& row : ranking["hardware"]) {
    if (row["bandwidth_gbs"].is_number()) {
      EXPECT_LE(row["bandwidth_gbs"].get<double>(), previous_bw);
      previous_bw = row["bandwidth_gbs"].get<double>();
    }
    if (row["this_machine"] == true) {
      ++measured_rows;
      EXPECT_EQ(row["source"], "measured");
      EXPECT_DOUBLE_EQ(row["bandwidth_gbs"].get<double>(), best);
    }
  }
  EXPECT_EQ(measured_rows, 1);
}

// compare never reads power from telemetry: --watts is the only source of its per-watt column, and its
// help says so rather than promising a fallback.
TEST_F(Cli, CompareHelpSaysWattsIsWhatThePerWattColumnStandsOn) {
  const Outcome o = specgap({"compare", "--help"});
  ASSERT_TRUE(o.exited && o.exit_code == 0) << o.describe();
  const auto at = o.out.find("--watts");
  ASSERT_NE(at, std::string::npos) << o.out;
  const std::string help = o.out.substr(at, o.out.find("\n  -", at + 1) - at);
  EXPECT_EQ(help.find("telemetry"), std::string::npos) << help;
  EXPECT_NE(help.find("per-watt column"), std::string::npos) << help;
}

TEST_F(Cli, DiffMatchesTheFiguresOfTwoRuns) {
  // Three repetitions: the fewest whose spread judges a change (two are shown, not judged).
  for (int i = 0; i < 2; ++i) ASSERT_EQ(specgap({"memory", "--size", "4M", "--reps", "3"}).exit_code, 0);
  const auto runs = history();
  ASSERT_EQ(runs.size(), 2u);
  const Outcome o = specgap({"diff", runs[1]["run_id"], runs[0]["run_id"], "--json"});
  ASSERT_TRUE(o.exited && o.exit_code == 0) << o.describe();
  const auto d = json_of(o);
  ASSERT_EQ(d["changes"].size(), 6u) << d.dump();
  for (const auto& c : d["changes"]) {
    EXPECT_TRUE(c["change"].is_number()) << c.dump();
    const std::string v = c["verdict"];
    EXPECT_TRUE(v == "higher" || v == "lower" || v == "same (within noise)") << v;
  }
  expect_one_line_usage_error(specgap({"diff", runs[0]["run_id"], "nosuchrun"}));
}

TEST_F(Cli, AuditRefusesAReportPathItCouldNotWriteBeforeMeasuring) {
  expect_one_line_usage_error(specgap({"audit", "-o", (dir_ / "no" / "such" / "folder" / "r.html").string()}));
  EXPECT_EQ(history().size(), 0u);
  expect_one_line_usage_error(specgap({"audit", "--budget", "5"}));  // below the least an audit can do
}

size_t columns(const std::string& s) {
  return std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
}

// The whole audit within a budget too small for most of it: one screen that names the stages that
// did not fit, says where the HTML report is, and how to print every table, which `report` still does.
TEST_F(Cli, AuditKeepsItsBudgetNamesWhatItSkippedAndWritesTheReport) {
  SPECGAP_SKIP_UNDER_EMULATION("the audit's budget is wall-clock time, and every stage runs tens of times slower");
  const fs::path report = dir_ / "audit.html";
  const Outcome o = specgap({"audit", "--budget", "30", "-o", report.string()}, 300s);
  ASSERT_TRUE(o.exited && o.exit_code == 0) << o.describe();
  EXPECT_NE(o.out.find("\nskipped compute"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("\ncpu  "), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("claim vs delivered"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("rank:"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("HTML report: " + report.string()), std::string::npos) << o.out;
  // One screen: no run table, at most 40 lines of at most 100 columns.
  EXPECT_EQ(o.out.find("Memory bandwidth"), std::string::npos) << o.out;
  std::istringstream lines(o.out);
  size_t count = 0;
  for (std::string line; std::getline(lines, line); ++count) EXPECT_LE(columns(line), 100u) << line;
  EXPECT_LE(count, 40u) << o.out;
  ASSERT_TRUE(fs::exists(report));
  EXPECT_GT(fs::file_size(report), 10000u);
  const auto runs = history();
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0]["status"], "complete");
  const std::string run_id = runs[0]["run_id"];
  EXPECT_NE(o.out.find("every table: specgap report " + run_id), std::string::npos) << o.out;
  const Outcome tables = specgap({"report", run_id});
  ASSERT_TRUE(tables.exited && tables.exit_code == 0) << tables.describe();
  for (const char* title : {"Memory bandwidth", "Claim vs delivered", "Roofline", "Ranking", "Advice"})
    EXPECT_NE(tables.out.find(title), std::string::npos) << title << " in " << tables.out;
}

// The audit's JSON is still the whole run, as `show --json` prints it, and no summary.
TEST_F(Cli, AuditJsonIsTheWholeRun) {
  SPECGAP_SKIP_UNDER_EMULATION("the audit's budget is wall-clock time, and every stage runs tens of times slower");
  const Outcome o = specgap({"audit", "--budget", "30", "--json", "-o", (dir_ / "a.html").string()}, 300s);
  ASSERT_TRUE(o.exited && o.exit_code == 0) << o.describe();
  const auto run = json_of(o);
  EXPECT_FALSE(run["results"].empty()) << o.out;
  const Outcome shown = specgap({"show", run["run_id"], "--json"});
  ASSERT_TRUE(shown.exited && shown.exit_code == 0) << shown.describe();
  const auto stored = json_of(shown);
  EXPECT_EQ(run["results"], stored["results"]);
  EXPECT_EQ(run["machine"], stored["machine"]);
  EXPECT_NE(o.err.find("specgap audit: skipped compute"), std::string::npos) << o.err;
}

}  // namespace
}  // namespace specgap::test

namespace specgap::test {
namespace {

// The acceptance of issue 18: on a machine record with a GPU, no CPU result is held against a claim of
// that GPU, and the report is not named after the GPU.
TEST_F(Cli, AReportOnAMachineWithAGpuHoldsNoCpuResultAgainstTheGpusClaims) {
  options_.env.push_back({"SPECGAP_NVML", SPECGAP_FAKE_NVML});
  options_.env.push_back({"FAKE_NVML_NAME", "NVIDIA GeForce RTX 4090"});
  auto args = kSmallRun;
  args.push_back("--json");
  const Outcome measured = specgap(args);
  ASSERT_TRUE(measured.exited && measured.exit_code == 0) << measured.describe();
  const auto run = json_of(measured);
  ASSERT_EQ(run["machine"]["gpus"][0]["name"], "NVIDIA GeForce RTX 4090") << run["machine"].dump();

  const Outcome report = specgap({"report", run["run_id"], "--format", "json"});
  ASSERT_TRUE(report.exited && report.exit_code == 0) << report.describe();
  const auto findings = json_of(report)["findings"];
  bool gpu_claims = false;
  for (const auto& v : findings["verdicts"]) {
    if (v["claim_kind"] != "spec" || v["device"] == "cpu") continue;
    EXPECT_TRUE(v["delivered"].is_null()) << "a CPU result held against a GPU claim: " << v.dump();
    gpu_claims = true;
  }
  EXPECT_TRUE(gpu_claims) << "the 4090's claims are listed, as not measured: " << findings["verdicts"].dump(1);
  ASSERT_TRUE(findings["recognised"].is_array()) << findings.dump(1);
  for (const auto& d : findings["recognised"]) {
    const bool gpu = d["device"] == "gpu0";
    EXPECT_EQ(d["system"].is_object() && d["system"]["id"] == "nvidia-rtx-4090", gpu) << d.dump();
  }

  const Outcome text = specgap({"report", run["run_id"]});
  ASSERT_TRUE(text.exited && text.exit_code == 0) << text.describe();
  // The fake 4090 is NVML's alone (the only Vulkan device here is lavapipe): nothing can reach it.
  EXPECT_NE(text.out.find("not measured: no Vulkan driver lists this GPU"), std::string::npos) << text.out;
}

// A GPU through the seam, on lavapipe (Mesa's software Vulkan device, which `make deps` installs):
// every STREAM kernel and every transfer checked and measured, named for its device, and the text
// says a software device's figures mean nothing as a GPU's.
TEST_F(Cli, MemoryOnAVulkanDeviceChecksEveryKernelAndTransfer) {
  const Outcome o = specgap({"memory", "--device", "gpu0", "--size", "4M", "--reps", "2", "--json"}, 120s);
  ASSERT_TRUE(o.exited && o.exit_code == 0) << o.describe();
  const auto j = json_of(o);
  std::set<std::string> names;
  for (const auto& r : j["results"]) {
    EXPECT_EQ(r["device"], "gpu0") << r.dump();
    EXPECT_EQ(r["check"], "passed") << r.dump();
    EXPECT_EQ(r["params"]["device_kind"], "software") << r.dump();
    names.insert(r["suite"].get<std::string>() + " " + r["name"].get<std::string>());
  }
  EXPECT_EQ(names, (std::set<std::string>{"memory copy", "memory scale", "memory add", "memory triad", "memory read",
                                          "memory write", "transfer h2d", "transfer d2h", "transfer d2d",
                                          "transfer bidir"}));
  // The record names every device opened, so "gpu0" reads back from it alone.
  std::map<std::string, std::string> kinds;
  for (const auto& d : j["machine"]["devices"]) kinds[d["id"].get<std::string>()] = d["kind"].get<std::string>();
  EXPECT_EQ(kinds["cpu"], "cpu") << j["machine"]["devices"].dump();
  EXPECT_EQ(kinds["gpu0"], "software") << j["machine"]["devices"].dump();
  const Outcome text = specgap({"memory", "--device", "gpu0", "--size", "4M", "--reps", "1", "--ops", "triad"}, 120s);
  ASSERT_TRUE(text.exited && text.exit_code == 0) << text.describe();
  EXPECT_NE(text.out.find("its figures mean nothing as a GPU's"), std::string::npos) << text.out;
}

// A GPU's working-set sweep and latency run through the seam like the CPU's: checked points on the
// device; a chase larger than the device holds (lavapipe binds at most 128 MiB) is refused in one line,
// before anything is recorded.
TEST_F(Cli, MemorySweepAndLatencyRunOnAVulkanDevice) {
  const Outcome o = specgap({"memory", "--device", "gpu0", "--sweep", "--max-size", "32K", "--ops", "triad", "--reps",
                             "1", "--json"}, 120s);
  ASSERT_TRUE(o.exited && o.exit_code == 0) << o.describe();
  size_t points = 0;
  const auto j = json_of(o);
  for (const auto& r : j["results"]) {
    EXPECT_EQ(r["device"], "gpu0") << r.dump();
    if (r["params"]["kind"] != "sweep_point") continue;
    ++points;
    EXPECT_EQ(r["check"], "passed") << r.dump();
  }
  EXPECT_EQ(points, 3u);  // 16, 24 and 32 KiB: two points a doubling, rounded to 4 KiB
  const Outcome latency =
      specgap({"memory", "--device", "gpu0", "--latency", "--max-size", "64K", "--reps", "1", "--json"}, 120s);
  ASSERT_TRUE(latency.exited && latency.exit_code == 0) << latency.describe();
  points = 0;
  const auto lj = json_of(latency);
  for (const auto& r : lj["results"]) {
    EXPECT_EQ(r["device"], "gpu0") << r.dump();
    EXPECT_EQ(r["name"], "latency") << r.dump();
    if (r["params"]["kind"] != "sweep_point") continue;
    ++points;
    EXPECT_EQ(r["check"], "passed") << r.dump();
    EXPECT_EQ(r["unit"], "ns") << r.dump();
    EXPECT_EQ(r["params"]["pages"], "device-local") << r.dump();
  }
  EXPECT_EQ(points, 5u);  // 16 to 64 KiB, two points a doubling
  const Outcome too_big = specgap({"memory", "--device", "gpu0", "--latency", "--max-size", "1G"});
  EXPECT_TRUE(too_big.exited && too_big.exit_code == 2) << too_big.describe();
  EXPECT_NE(too_big.err.find("gpu0 chases at most"), std::string::npos) << too_big.err;
  EXPECT_EQ(std::count(too_big.err.begin(), too_big.err.end(), '\n'), 1) << too_big.err;
}

// A GPU's compute: the dtypes its driver runs are checked and measured; one it cannot run is
// "unsupported" with the reason, without a figure and without failing the run.
TEST_F(Cli, ComputeOnAVulkanDeviceSaysWhichDtypesItCannotRunAndWhy) {
  const Outcome o =
      specgap({"compute", "--device", "gpu0", "--dtype", "fp32,bf16", "--shape", "96x80x72", "--reps", "1", "--json"},
              120s);
  ASSERT_TRUE(o.exited && o.exit_code == 0) << o.describe();
  std::map<std::string, std::string> checks;
  const auto j = json_of(o);
  for (const auto& r : j["results"])
    checks[r["name"].get<std::string>() + " " + r["dtype"].get<std::string>()] = r["check"].get<std::string>();
  EXPECT_EQ(checks["peak fp32"], "passed");
  EXPECT_EQ(checks["gemm fp32"], "passed");
  EXPECT_EQ(checks["gemm bf16"].rfind("unsupported: ", 0), 0u) << checks["gemm bf16"];
  EXPECT_EQ(checks["peak bf16"].rfind("unsupported: ", 0), 0u) << checks["peak bf16"];
}

// A soak loads the GPU it is given with the STREAM triad, checked before and after.
TEST_F(Cli, ASoakRunsOnTheDeviceItIsGiven) {
  const Outcome o = specgap({"soak", "--device", "gpu0", "--workload", "memory", "--minutes", "0.05", "--interval",
                             "1", "--size", "4M", "--json"},
                            120s);
  ASSERT_TRUE(o.exited && o.exit_code == 0) << o.describe();
  const auto results = json_of(o)["results"];
  ASSERT_EQ(results.size(), 1u) << results.dump();
  EXPECT_EQ(results[0]["device"], "gpu0");
  EXPECT_EQ(results[0]["name"], "triad");
  EXPECT_EQ(results[0]["check"], "passed");
  EXPECT_FALSE(results[0]["params"].contains("add_chain_clock_mhz"));  // the CPU's clock is no GPU's
}

// Bad device input is one line and exit 2, before anything is recorded: an unknown id (naming the
// devices there are), arrays larger than the device's largest buffer, a device a loader no longer
// offers, and a soak asked to load every device at once.
TEST_F(Cli, ABadDeviceIsOneLineAndRecordsNothing) {
  const auto one_line_usage = [&](const Outcome& o, const std::string& needle) {
    EXPECT_TRUE(o.exited && o.exit_code == 2) << o.describe();
    EXPECT_NE(o.err.find(needle), std::string::npos) << o.err;
    EXPECT_EQ(std::count(o.err.begin(), o.err.end(), '\n'), 1) << o.err;
  };
  one_line_usage(specgap({"memory", "--device", "gpu7"}), "--device gpu7: no such device (devices here: cpu, gpu0");
  one_line_usage(specgap({"memory", "--device", "gpu0", "--size", "1G"}), "--size 1 GiB: gpu0 takes at most");
  one_line_usage(specgap({"soak", "--device", "all"}), "a soak loads one device");
  one_line_usage(specgap({"soak", "--device", "gpu0", "--workload", "llm"}), "--workload llm runs on the CPU only");
  auto options = options_;
  options.env.push_back({"SPECGAP_VULKAN", "/nonexistent/libvulkan.so.1"});
  one_line_usage(run_specgap({"compute", "--device", "gpu0"}, options, 60s), "no Vulkan loader");
  EXPECT_FALSE(fs::exists(db_path()));
}

// With no Vulkan loader at all, `--device all` still measures the CPU and keeps its results.
TEST_F(Cli, NoVulkanLoaderStillMeasuresTheCpu) {
  auto options = options_;
  options.env.push_back({"SPECGAP_VULKAN", "/nonexistent/libvulkan.so.1"});
  const Outcome o = run_specgap({"memory", "--device", "all", "--size", "4M", "--reps", "1", "--ops", "triad",
                                 "--json"}, options, 60s);
  ASSERT_TRUE(o.exited && o.exit_code == 0) << o.describe();
  const auto results = json_of(o)["results"];
  ASSERT_EQ(results.size(), 1u) << results.dump();
  EXPECT_EQ(results[0]["device"], "cpu");
  EXPECT_EQ(results[0]["check"], "passed");
}

}  // namespace
}  // namespace specgap::test
