// Rendering a run: the JSON schema and its stable field names, RFC 4180 CSV, and the text and
// Markdown views that group results into tables.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "core/result.h"
#include "report/render.h"

namespace specgap::report {
namespace {

Result bandwidth(const std::string& name, double value) {
  Result r;
  r.suite = "memory";
  r.device = "cpu";
  r.name = name;
  r.value = value;
  r.unit = "GB/s";
  r.impl = "avx2";
  r.stats = {value, value, value - 1, value + 1, 0.5, 0.01, 10};
  r.params = {{"array_bytes", 1u << 30}, {"threads", 2}};
  r.variants = nlohmann::json::array({{{"impl", "avx2"}, {"check", "passed"}, {"stats", {{"median", value}}}},
                                      {{"impl", "scalar"}, {"check", "passed"}, {"stats", {{"median", 1.25}}}}});
  return r;
}

RunRecord sample_run() {
  RunRecord run;
  run.run_id = "20260101T000000Z-abc123";
  run.started_at = "2026-01-01T00:00:00Z";
  run.finished_at = "2026-01-01T00:00:09Z";
  run.status = "complete";
  run.command = "specgap memory";
  run.specgap_version = "0.1.0 (test)";
  run.machine = {{"cpu", {{"model_name", "Test CPU"}, {"cores", 2}}}, {"memory", {{"total_bytes", 1u << 30}}}};
  run.results = {bandwidth("copy", 12.5), bandwidth("triad", 15.25)};
  run.verdicts = nlohmann::json::array({{{"what", "memory"}, {"dtype", nullptr}, {"claimed", 20.0}, {"delivered", 15.25},
                                         {"unit", "GB/s"}, {"ratio", 0.7625}, {"claim_source", "test"}, {"note", ""}}});
  run.samples = 40;
  return run;
}

// RFC 4180 fields of one record (no embedded newlines in these tests).
std::vector<std::string> csv_fields(const std::string& line) {
  std::vector<std::string> out;
  std::string cell;
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        cell += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.push_back(cell);
      cell.clear();
    } else {
      cell += c;
    }
  }
  out.push_back(cell);
  return out;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

TEST(RenderJson, SchemaAndStableFieldNames) {
  const auto j = nlohmann::json::parse(render_run(sample_run(), Format::json));
  EXPECT_EQ(j["schema"], "specgap.run/1");
  for (const char* key : {"run_id", "started_at", "finished_at", "specgap_version", "status", "command", "machine",
                          "results", "verdicts", "samples"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_EQ(j["run_id"], "20260101T000000Z-abc123");
  EXPECT_EQ(j["started_at"], "2026-01-01T00:00:00Z");
  EXPECT_EQ(j["specgap_version"], "0.1.0 (test)");
  EXPECT_EQ(j["status"], "complete");
  EXPECT_EQ(j["machine"]["cpu"]["model_name"], "Test CPU");
  EXPECT_EQ(j["samples"], 40);
  ASSERT_TRUE(j["verdicts"].is_array());
  EXPECT_EQ(j["verdicts"].size(), 1u);
  ASSERT_EQ(j["results"].size(), 2u);
  for (const auto& r : j["results"]) {
    for (const char* key : {"suite", "device", "name", "dtype", "value", "unit", "impl", "stats", "params", "check"})
      EXPECT_TRUE(r.contains(key)) << key;
    EXPECT_EQ(r["suite"], "memory");
    EXPECT_EQ(r["device"], "cpu");
    EXPECT_TRUE(r["dtype"].is_null());
    EXPECT_EQ(r["unit"], "GB/s");
    EXPECT_EQ(r["impl"], "avx2");
    EXPECT_EQ(r["check"], "passed");
    EXPECT_TRUE(r["stats"].is_object());
    EXPECT_TRUE(r["params"].is_object());
  }
  EXPECT_EQ(j["results"][0]["name"], "copy");
  EXPECT_EQ(j["results"][1]["value"], 15.25);
}

TEST(RenderJson, NaNValueIsNullAndTheTextIsValidJson) {
  RunRecord run = sample_run();
  run.results[0].value = std::numeric_limits<double>::quiet_NaN();
  const std::string text = render_run(run, Format::json);
  const auto j = nlohmann::json::parse(text);  // throws on a bare NaN
  EXPECT_TRUE(j["results"][0]["value"].is_null());
}

TEST(RenderCsv, HeaderThenOneRowPerResultWithMatchingColumns) {
  const auto lines = lines_of(render_csv(sample_run()));
  ASSERT_EQ(lines.size(), 3u);
  const auto header = csv_fields(lines[0]);
  EXPECT_EQ(header.front(), "run_id");
  for (const char* col : {"suite", "device", "name", "value", "unit", "impl", "check"})
    EXPECT_NE(std::find(header.begin(), header.end(), col), header.end()) << col;
  for (size_t i = 1; i < lines.size(); ++i) {
    const auto cells = csv_fields(lines[i]);
    ASSERT_EQ(cells.size(), header.size()) << lines[i];
    EXPECT_EQ(cells[0], "20260101T000000Z-abc123");
  }
  const auto triad = csv_fields(lines[2]);
  const auto col = [&](const char* name) { return size_t(std::find(header.begin(), header.end(), name) - header.begin()); };
  EXPECT_EQ(triad[col("name")], "triad");
  EXPECT_EQ(triad[col("value")], "15.25");
  EXPECT_EQ(triad[col("impl")], "avx2");
}

TEST(RenderCsv, CommasAndQuotesAreQuoted) {
  RunRecord run = sample_run();
  run.results.resize(1);
  run.results[0].impl = "avx2,nt";
  run.results[0].check = "failed: element 3 expected \"1\" got 2";
  const auto lines = lines_of(render_csv(run));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_NE(lines[1].find("\"avx2,nt\""), std::string::npos) << lines[1];
  EXPECT_NE(lines[1].find("\"failed: element 3 expected \"\"1\"\" got 2\""), std::string::npos) << lines[1];
  const auto header = csv_fields(lines[0]);
  const auto cells = csv_fields(lines[1]);
  ASSERT_EQ(cells.size(), header.size()) << lines[1];
  EXPECT_EQ(cells[size_t(std::find(header.begin(), header.end(), "impl") - header.begin())], "avx2,nt");
  EXPECT_EQ(cells.back(), "failed: element 3 expected \"1\" got 2");
}

TEST(RenderCsv, UndefinedNumbersAreEmptyCells) {
  RunRecord run = sample_run();
  run.results.resize(1);
  run.results[0].value = std::numeric_limits<double>::quiet_NaN();
  const auto lines = lines_of(render_csv(run));
  const auto header = csv_fields(lines[0]);
  const auto cells = csv_fields(lines[1]);
  EXPECT_EQ(cells[size_t(std::find(header.begin(), header.end(), "value") - header.begin())], "");
}

TEST(RenderText, HeaderLineMachineAndBandwidthTables) {
  const std::string text = render_run(sample_run(), Format::text);
  const auto lines = lines_of(text);
  ASSERT_FALSE(lines.empty());
  EXPECT_NE(lines[0].find("run 20260101T000000Z-abc123"), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find("status complete"), std::string::npos) << lines[0];
  EXPECT_NE(text.find("Test CPU"), std::string::npos);
  EXPECT_NE(text.find("Memory bandwidth"), std::string::npos);
  EXPECT_NE(text.find("scalar 1.25"), std::string::npos) << text;  // the other variant's median
  EXPECT_EQ(text.find("error:"), std::string::npos);

  RunRecord failed = sample_run();
  failed.status = "failed";
  failed.error = "disk full";
  EXPECT_NE(render_run(failed, Format::text).find("error: disk full"), std::string::npos);
}

TEST(RenderMarkdown, HeadingAndTables) {
  const std::string md = render_run(sample_run(), Format::markdown);
  EXPECT_EQ(md.rfind("## specgap", 0), 0u) << md;
  EXPECT_NE(md.find("### Memory bandwidth"), std::string::npos);
  EXPECT_NE(md.find("| copy |"), std::string::npos) << md;
}

TEST(RunTables, ResultsAreGroupedByKind) {
  RunRecord run = sample_run();
  run.machine = nlohmann::json::object();
  Result point = bandwidth("triad", 30);
  point.params = {{"kind", "sweep_point"}, {"working_set_bytes", uint64_t{16384}}};
  Result plateau = bandwidth("triad", 31);
  plateau.params = {{"kind", "plateau"}, {"level", "L1"}, {"from_bytes", uint64_t{16384}},
                    {"to_bytes", uint64_t{32768}}, {"points", 2}};
  Result latency = bandwidth("latency", 80);
  latency.unit = "ns";
  latency.params = {{"kind", "sweep_point"}, {"working_set_bytes", uint64_t{1} << 20}};
  Result other = bandwidth("fp32", 1.5);
  other.suite = "compute";
  run.results = {bandwidth("copy", 10), point, plateau, latency, other};
  const auto tables = run_tables(run);
  std::vector<std::string> titles;
  for (auto& t : tables) titles.push_back(t.title);
  ASSERT_EQ(titles.size(), 6u) << ::testing::PrintToString(titles);
  EXPECT_NE(titles[0].find("Memory bandwidth"), std::string::npos);
  EXPECT_NE(titles[1].find("Bandwidth sweep: triad"), std::string::npos);
  EXPECT_NE(titles[2].find("latency"), std::string::npos);
  EXPECT_NE(titles[3].find("plateaus"), std::string::npos);
  EXPECT_EQ(titles[4], "Results");
  EXPECT_EQ(titles[5], "Claim vs delivered: theoretical peak at the measured clock");
  EXPECT_EQ(tables[3].rows.at(0).at(1), "L1");
  EXPECT_EQ(tables[1].rows.at(0).at(0), "16 KiB");
}

TEST(FormatValue, ThreeSignificantDigitsAtLeastAndDashForUndefined) {
  EXPECT_EQ(format_value(std::numeric_limits<double>::quiet_NaN()), "-");
  EXPECT_EQ(format_value(std::numeric_limits<double>::infinity()), "-");
  EXPECT_EQ(format_value(1234.56), "1234.6");
  EXPECT_EQ(format_value(12.5), "12.50");
  EXPECT_EQ(format_value(0.0123), "0.0123");
  EXPECT_EQ(format_value(-5.5), "-5.50");
}

}  // namespace
}  // namespace specgap::report

namespace specgap::report {
namespace {

TEST(RunTables, NoisyBandwidthIsFlaggedUnderItsTable) {
  RunRecord run;
  Result quiet, noisy;
  quiet.suite = noisy.suite = "memory";
  quiet.device = noisy.device = "cpu";
  quiet.unit = noisy.unit = "GB/s";
  quiet.name = "copy";
  quiet.stats.cv = 0.01;
  noisy.name = "triad";
  noisy.stats.cv = 0.12;
  noisy.params["threads"] = 2;
  run.results = {quiet, noisy};
  const auto tables = run_tables(run);
  ASSERT_EQ(tables.size(), 1u);
  std::string notes;
  for (auto& n : tables[0].notes) notes += n + "\n";
  EXPECT_NE(notes.find("noisy"), std::string::npos) << notes;
  EXPECT_NE(notes.find("triad 2t 12.0%"), std::string::npos) << notes;
  EXPECT_EQ(notes.find("copy"), std::string::npos) << notes;
}

}  // namespace
}  // namespace specgap::report

namespace specgap::report {
namespace {

// TPOT of one generated token has no figure: the table says why instead of printing "nan ms".
TEST(RunTables, AnLlmTimeWithNoFigureSaysWhy) {
  RunRecord run = sample_run();
  Result tpot;
  tpot.suite = "llm";
  tpot.device = "cpu";
  tpot.name = "tpot";
  tpot.unit = "ms";
  tpot.value = std::nan("");
  tpot.check = "unsupported: one generated token (-n 1) has no interval after it; TPOT needs -n 2 or more";
  run.results = {tpot};
  const std::string text = render_run(run, Format::text);
  EXPECT_EQ(text.find("nan"), std::string::npos) << text;
  EXPECT_NE(text.find("not measured: one generated token (-n 1) has no interval after it"), std::string::npos) << text;
}

}  // namespace
}  // namespace specgap::report
