// The HTML report on plain data: every chart present with its marks for a run with every suite, each
// section's line when its part is empty, hostile text escaped, nothing the page would fetch, and an
// interrupted run marked as one.
#include "report/html_report.h"

#include <gtest/gtest.h>

#include <string>

#include "analysis/findings.h"
#include "report/html_text.h"
#include "synthetic_run.h"

namespace specgap::report {
namespace {

// The <svg> element with this id, or "" when the page has none.
std::string svg_with_id(const std::string& html, const std::string& id) {
  const auto start = html.find("<svg id=\"" + id + "\"");
  if (start == std::string::npos) return "";
  const auto end = html.find("</svg>", start);
  return end == std::string::npos ? "" : html.substr(start, end - start);
}

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

size_t marks(const std::string& svg) { return count(svg, "class=\"mark"); }

TEST(HtmlEscape, EscapesMarkupQuotesAndControlCharacters) {
  EXPECT_EQ(html_escape("a<b>&\"c\"'d'"), "a&lt;b&gt;&amp;&quot;c&quot;&#39;d&#39;");
  EXPECT_EQ(html_escape("tab\tline\nbell\x07"), "tab\tline\nbell\xEF\xBF\xBD");
  EXPECT_EQ(html_escape("Llama \xE2\x80\x94 3"), "Llama \xE2\x80\x94 3");  // UTF-8 passes through
}

TEST(HtmlReport, DrawsEveryChartWithOneMarkPerDataPoint) {
  const auto html = render_html(test::synthetic_run(), test::synthetic_findings());
  // Three verdicts: each a claim outline and a delivered bar.
  EXPECT_EQ(marks(svg_with_id(html, "chart-claims")), 6u);
  EXPECT_EQ(marks(svg_with_id(html, "chart-roofline")), 3u);
  // copy and triad, 16 KiB to 512 MiB in doublings: 16 points each.
  EXPECT_EQ(marks(svg_with_id(html, "chart-memory-sweep")), 32u);
  // latency: 16 KiB to 1 GiB in steps of 4: 9 points.
  EXPECT_EQ(marks(svg_with_id(html, "chart-memory-latency")), 9u);
  EXPECT_EQ(marks(svg_with_id(html, "chart-llm")), 4u);
  EXPECT_EQ(marks(svg_with_id(html, "chart-ranking")), 4u);
  // 12 intervals: the rate, the add-chain clock, the busy clock, temperature, power, utilisation, steal.
  EXPECT_EQ(marks(svg_with_id(html, "chart-soak")), 12u * 7);
  // 360 ticks are too many for points: each of the five telemetry lines is one mark.
  EXPECT_EQ(marks(svg_with_id(html, "chart-telemetry")), 5u);
}

TEST(HtmlReport, HeaderNamesMachineRunVersionAndStatus) {
  const auto html = render_html(test::synthetic_run(), test::synthetic_findings());
  EXPECT_NE(html.find("<h1>AMD Ryzen AI Max+ 395 (Strix Halo)</h1>"), std::string::npos);
  EXPECT_NE(html.find("20260301T101500Z-5e1f2a"), std::string::npos);
  EXPECT_NE(html.find("0.5.0 (4c1d2e9)"), std::string::npos);
  EXPECT_NE(html.find("<span class=\"status complete\">complete</span>"), std::string::npos);
  EXPECT_EQ(html.find("class=\"banner\""), std::string::npos);
}

TEST(HtmlReport, UnrecognisedMachineIsNamedByItsCpu) {
  auto findings = test::synthetic_findings();
  findings["recognised"][0]["system"] = nullptr;
  const auto html = render_html(test::synthetic_run(), findings);
  EXPECT_NE(html.find("<h1>AMD RYZEN AI MAX+ 395 w/ Radeon 8060S</h1>"), std::string::npos);
  EXPECT_NE(html.find("cpu (AMD RYZEN AI MAX+ 395 w/ Radeon 8060S): not a system in the catalog"), std::string::npos);
}

TEST(HtmlReport, AMachineWhoseGpuAloneIsInTheCatalogIsNotNamedAfterTheGpu) {
  auto run = test::synthetic_run();
  run.machine["cpu"]["model_name"] = "Test Corp Widget 9000";
  run.machine["gpus"] = {{{"index", 0}, {"name", "NVIDIA GeForce RTX 4090"}}};
  const auto html =
      render_html(run, analysis::audit_findings(run, catalog::load_catalog({catalog::default_catalog_dir()})));
  EXPECT_NE(html.find("<h1>Test Corp Widget 9000 + NVIDIA GeForce RTX 4090</h1>"), std::string::npos)
      << html.substr(0, html.find("</h1>") + 5);
  EXPECT_NE(html.find("gpu0 (NVIDIA GeForce RTX 4090): NVIDIA GeForce RTX 4090 (catalog id nvidia-rtx-4090)"),
            std::string::npos);
  EXPECT_NE(html.find("cpu (Test Corp Widget 9000): not a system in the catalog"), std::string::npos);
}

// The legend names no column the rows leave empty: a published figure is shown where the catalog has one.
TEST(HtmlReport, TheRankingShowsThePublishedFigureItsLegendNames) {
  auto findings = test::synthetic_findings();
  findings["ranking"]["rows"][1]["published_decode_tps"] = 59.02;
  const auto html = render_html(test::synthetic_run(), findings);
  const auto section = html.substr(html.find("<section id=\"ranking\""));
  EXPECT_NE(section.find(">published tok/s</th>"), std::string::npos) << section;
  EXPECT_NE(section.find(">59.02</td>"), std::string::npos) << section;
  EXPECT_NE(section.find("published: a llama.cpp figure"), std::string::npos) << section;
}

TEST(HtmlReport, InterruptedAndFailedRunsCarryABanner) {
  auto run = test::synthetic_run();
  run.status = "interrupted";
  auto html = render_html(run, test::synthetic_findings());
  EXPECT_NE(html.find("class=\"banner\""), std::string::npos);
  EXPECT_NE(html.find("This run was interrupted"), std::string::npos);
  run.status = "failed";
  run.error = "check failed: triad <mismatch>";
  html = render_html(run, test::synthetic_findings());
  EXPECT_NE(html.find("This run failed"), std::string::npos);
  EXPECT_NE(html.find("check failed: triad &lt;mismatch&gt;"), std::string::npos);
}

TEST(HtmlReport, HostileTextFromFilesIsEscapedEverywhere) {
  const std::string evil = "<script>alert(\"x\")</script><img src=x onerror=alert(1)>";
  auto run = test::synthetic_run();
  run.machine["cpu"]["model_name"] = evil;
  run.command = evil;
  run.run_id = evil;
  for (auto& r : run.results) {
    if (r.suite == "llm") r.params["model_name"] = evil, r.params["model"] = evil;
    if (r.suite == "soak") r.params["conclusion"] = evil, r.impl = evil;
    if (r.suite == "memory") r.impl = evil;
  }
  auto findings = test::synthetic_findings();
  findings["recognised"][0]["system"] = nullptr;
  findings["verdicts"][0]["note"] = evil;
  findings["verdicts"][0]["what"] = evil;
  findings["roofline"]["points"][0]["name"] = evil;
  findings["roofline"]["ceilings"][0]["dtype"] = evil;
  findings["ranking"]["rows"][0]["name"] = evil;
  findings["ranking"]["model"] = evil;
  findings["advice"][0] = evil;
  const auto html = render_html(run, findings);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("alert(\"x\")"), std::string::npos) << "a raw quote could close an attribute";
  EXPECT_GE(count(html, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"), 8u);
}

TEST(HtmlReport, NothingIsFetchedOrRun) {
  const auto html = render_html(test::synthetic_run(), test::synthetic_findings());
  EXPECT_NE(html.find("Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\""),
            std::string::npos);
  for (const char* fetches : {"<script", "<link", "<img", "<iframe", " src=", "url(", "@import"})
    EXPECT_EQ(html.find(fetches), std::string::npos) << fetches;
}

TEST(HtmlReport, EmptyRunAndEmptyFindingsSayWhatIsMissing) {
  RunRecord run;
  run.run_id = "20260301T000000Z-000000";
  run.status = "complete";
  // The shape audit_findings has when it concluded nothing, and an object with no keys at all.
  const nlohmann::json empty_parts = {{"recognised", nlohmann::json::array()},
                                      {"verdicts", nlohmann::json::array()},
                                      {"roofline", {{"ceilings", nlohmann::json::array()}, {"points", nlohmann::json::array()}}},
                                      {"ranking", {{"rows", nlohmann::json::array()}}},
                                      {"advice", nlohmann::json::array()}};
  for (const auto& findings : {empty_parts, nlohmann::json::object()}) {
    const auto html = render_html(run, findings);
    EXPECT_EQ(html.find("<svg"), std::string::npos) << "an empty section draws no chart";
    for (const char* line : {"No claim was held against a measured figure", "Not measured in this run: the roofline",
                             "<h2>Memory</h2><p class=\"empty\">Not measured in this run.",
                             "<h2>Compute</h2><p class=\"empty\">Not measured in this run.",
                             "<h2>LLM inference</h2><p class=\"empty\">Not measured in this run.",
                             "Not measured in this run (specgap soak)", "Telemetry was off for this run",
                             "No ranking", "No advice for this run"})
      EXPECT_NE(html.find(line), std::string::npos) << line;
  }
}

TEST(HtmlReport, ASuiteWithoutItsPartsSaysWhichPartIsMissing) {
  auto run = test::synthetic_run();
  std::erase_if(run.results, [](const Result& r) { return r.suite == "memory" && r.params.contains("kind"); });
  const auto html = render_html(run, test::synthetic_findings());
  EXPECT_TRUE(svg_with_id(html, "chart-memory-sweep").empty());
  EXPECT_NE(html.find("Not measured in this run (specgap memory --sweep)."), std::string::npos);
  EXPECT_NE(html.find("Not measured in this run (specgap memory --latency)."), std::string::npos);
  EXPECT_NE(html.find("Sustained bandwidth (GB/s"), std::string::npos);
}

TEST(HtmlReport, RankingHighlightsThisMachineAndLabelsTheProjection) {
  const auto chart = svg_with_id(render_html(test::synthetic_run(), test::synthetic_findings()), "chart-ranking");
  EXPECT_EQ(count(chart, "class=\"mark bar measured this-machine\""), 1u);
  EXPECT_EQ(count(chart, "class=\"mark bar projection\""), 3u);  // every catalog row: none is "published"
  EXPECT_NE(chart.find(">Apple M4 Max (projection)</text>"), std::string::npos);
  // A long name is shortened, never the part that says what the row is.
  EXPECT_NE(chart.find(">AMD Ryzen AI Max+ \u2026 (this machine)</text>"), std::string::npos) << chart;
}

TEST(HtmlReport, ClaimBarsCarryTheRatioAndTheNumbers) {
  const auto chart = svg_with_id(render_html(test::synthetic_run(), test::synthetic_findings()), "chart-claims");
  EXPECT_NE(chart.find(">86% (221 of 256 GB/s)</text>"), std::string::npos);
  EXPECT_NE(chart.find(">compute peak fp32 (theoretical)</text>"), std::string::npos);
  EXPECT_EQ(count(chart, "class=\"mark bar far\""), 1u) << "bf16 at 12% of its claim";
}

TEST(HtmlReport, EveryFigureStatesHowItWasMeasured) {
  const auto html = render_html(test::synthetic_run(), test::synthetic_findings());
  EXPECT_NE(html.find("<b>triad</b>: avx512-nt; threads 16; arrays of 1 GiB; a[i] = b[i] + s*c[i]"), std::string::npos);
  EXPECT_NE(html.find("10 reps: median 2.90 TFLOP/s (min 2.75, max 2.96, CV 2.1%)"), std::string::npos);
  EXPECT_NE(html.find("shape 4096x4096x4096 (m x n x k)"), std::string::npos);
  EXPECT_NE(html.find("<b>triad curve</b>: avx512; 16 threads; 16 working sets from 16 KiB to 512 MiB"),
            std::string::npos);
  EXPECT_NE(html.find("<b>bandwidth</b>: 221.0 GB/s, triad avx512-nt, 16 threads, 1 GiB arrays"), std::string::npos);
  EXPECT_NE(html.find("check unsupported: avx-vnni: no AVX-VNNI on this CPU"), std::string::npos);
}

TEST(HtmlReport, SoakMarksTheFallAndItsCause) {
  const auto html = render_html(test::synthetic_run(), test::synthetic_findings());
  const auto chart = svg_with_id(html, "chart-soak");
  EXPECT_NE(chart.find(">fell here</text>"), std::string::npos);
  EXPECT_NE(chart.find(">first minute 2860.0</text>"), std::string::npos);
  EXPECT_NE(chart.find(">hwmon.k10temp.tctl limit 100 C</text>"), std::string::npos);
  EXPECT_NE(html.find("CPU clock down 9% (5050 -&gt; 4600 MHz)"), std::string::npos);
}

}  // namespace
}  // namespace specgap::report
