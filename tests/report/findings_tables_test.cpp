// The audit's findings drawn after the run's own tables: each figure said once, and the same figure
// the same number wherever it appears.
#include <gtest/gtest.h>

#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "analysis/findings.h"
#include "report/findings_tables.h"

namespace specgap::report {
namespace {

Result result(std::string suite, std::string name, double value, std::string unit, nlohmann::json params) {
  Result r;
  r.suite = std::move(suite);
  r.device = "cpu";
  r.name = std::move(name);
  r.value = value;
  r.unit = std::move(unit);
  r.impl = "avx2";
  r.params = std::move(params);
  r.stats.median = value;
  r.stats.reps = 1;
  return r;
}

// A run whose best STREAM figure (copy, 84.2 GB/s) is not the read bandwidth its decode ran beside (40).
RunRecord decode_run() {
  RunRecord run;
  run.run_id = "20260101T000000Z-abc123";
  run.status = "complete";
  run.machine = {{"cpu",
                  {{"model_name", "Test CPU"},
                   {"caches", {{{"level", 3}, {"type", "unified"}, {"size_bytes", 32 << 20}, {"instances", 1}}}}}},
                 {"memory", {{"total_bytes", 64e9}}}};
  const nlohmann::json dram = {{"array_bytes", 1 << 30}, {"threads", 16}};
  run.results = {result("memory", "copy", 84.2, "GB/s", dram), result("memory", "read", 60, "GB/s", dram),
                 result("llm", "tg128", 40, "tokens/s",
                        {{"model_name", "llama-3.2-1b"}, {"quant", "q4_0"}, {"depth", 0}, {"threads", 16},
                         {"bytes_per_token", 0.77e9}, {"read_bandwidth_gbps", 40.0},
                         {"fraction_of_read_bandwidth", 0.7712}}),
                 result("compute", "peak", 2.0, "TFLOP/s", nlohmann::json::object())};
  run.results.back().dtype = "fp32";
  return run;
}

std::vector<std::string> lines_with(const std::string& text, const std::string& what) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (line.find(what) != std::string::npos) out.push_back(line);
  return out;
}

TEST(FindingsTables, DecodeHasOneFractionOfTheReadBandwidthInTheLlmTableTheRooflineAndTheAdvice) {
  const auto run = decode_run();
  const auto text = render_with_findings(run, analysis::audit_findings(run, {}), Format::text);
  const auto llm = lines_with(text, "fraction of read bandwidth used");
  ASSERT_EQ(llm.size(), 1u) << text;
  EXPECT_NE(llm[0].find("0.77"), std::string::npos) << llm[0];
  const auto roof = lines_with(text, "tg128 llama-3.2-1b q4_0");
  ASSERT_FALSE(roof.empty()) << text;
  EXPECT_NE(roof[0].find(" 0.77"), std::string::npos) << roof[0];
  const auto advice = lines_with(text, "Decode (tg128");
  ASSERT_EQ(advice.size(), 1u) << text;
  EXPECT_NE(advice[0].find("0.77 of the read bandwidth measured in the same run (40.0 GB/s)"), std::string::npos)
      << advice[0];
}

TEST(FindingsTables, EachClaimIsPrintedOnceAfterTheRunsOwnTables) {
  RunRecord run = decode_run();
  run.results.back().params["theoretical_peak"] = {{"value", 2.5}, {"formula", "16 cores x 2.44 GHz x 64 FLOP/cycle"},
                                                   {"source", "cpu-uarch.md"}, {"confidence", "high"}};
  const auto text = render_with_findings(run, analysis::audit_findings(run, {}), Format::text);
  // A verdict's row (its "what" cell, then column padding); a note names it with one space after.
  const std::regex row("^ compute peak {2,}");
  int rows = 0;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) rows += std::regex_search(line, row);
  EXPECT_EQ(rows, 1) << text;
  // And one table: before, "Claimed vs delivered" of the run, then "Claim vs delivered" of the findings.
  EXPECT_EQ(lines_with(text, "laim vs delivered").size() + lines_with(text, "laimed vs delivered").size(), 1u) << text;
  // Shown alone, the run keeps its own table.
  EXPECT_EQ(lines_with(render_run(run, Format::text), "laim vs delivered").size(), 1u);
}

TEST(FindingsTables, TheRankingsMeasuredRowNamesTheTestThisMachineRan) {
  RunRecord run = decode_run();
  const nlohmann::json model = {{"model_name", "llama-3.1-8b"}, {"quant", "q4_k_m"}, {"depth", 0}};
  run.results.push_back(result("llm", "tg16", 9.5, "tokens/s", model));
  run.results.push_back(result("llm", "pp64", 41, "tokens/s", model));
  const auto text = render_with_findings(run, analysis::audit_findings(run, {}), Format::text);
  ASSERT_FALSE(lines_with(text, "(pp512 / tg128)").empty()) << text;
  const auto here = lines_with(text, "(this machine)");
  ASSERT_EQ(here.size(), 1u) << text;
  EXPECT_NE(here[0].find("measured tg16, pp64 (1 repetition)"), std::string::npos) << here[0];
}

// Without a bandwidth figure there is no ranking: its title names no model ("on -") and no test.
TEST(FindingsTables, ARankingNotMadeNamesNoModelOrTest) {
  const Table t = ranking_table(nlohmann::json{{"rows", nlohmann::json::array()}});
  EXPECT_EQ(t.title, "Ranking");
  ASSERT_FALSE(t.notes.empty());
  EXPECT_NE(t.notes.front().find("no ranking"), std::string::npos) << t.notes.front();
}

}  // namespace
}  // namespace specgap::report
