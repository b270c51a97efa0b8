// The HTML report as a browser sees it: Debian's chromium, headless, loads a report and dumps the DOM
// it parsed. A report must load without one console message (a script error, or a fetch its
// Content-Security-Policy blocked, is one) and the parsed DOM must hold every chart with its marks
// inside its section. Two pages with a deliberate fault prove the console check can fail here.
// chromium missing is a failure, not a skip: `make deps` installs it.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "report/html_report.h"
#include "synthetic_run.h"

namespace specgap::report {
namespace {
namespace fs = std::filesystem;

constexpr const char* kChromium = "/usr/bin/chromium";

std::string read_file(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

struct PageLoad {
  int status = -1;                    // the shell's status: 0 when chromium exited cleanly in time
  std::string dom;                    // the DOM chromium built, serialised
  std::vector<std::string> console;  // every console message it logged
  std::string log;
};

class Browser : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(access(kChromium, X_OK), 0)
        << kChromium << " not found: the HTML report's browser test needs Debian's chromium; run `make deps` as root";
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/specgap-browser-XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Loads `html` as a file:// page; chromium gets 60 s, so a hang fails the test instead of the suite.
  PageLoad load(const std::string& name, const std::string& html) const {
    const fs::path page = dir_ / (name + ".html"), dom = dir_ / (name + ".dom"), log = dir_ / (name + ".log");
    const fs::path profile = dir_ / (name + "-profile");
    std::ofstream(page) << html;
    const std::string command =
        std::string("timeout 60 ") + kChromium +
        " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking"
        " --disable-component-update --disable-sync --user-data-dir=" + profile.string() +
        " --enable-logging=stderr --v=0 --dump-dom file://" + page.string() + " >" + dom.string() + " 2>" +
        log.string();
    PageLoad out;
    out.status = std::system(command.c_str());
    out.dom = read_file(dom);
    out.log = read_file(log);
    std::istringstream lines(out.log);
    for (std::string line; std::getline(lines, line);)
      if (line.find(":CONSOLE") != std::string::npos) out.console.push_back(line);
    return out;
  }

  fs::path dir_;
};

std::string joined(const std::vector<std::string>& lines) {
  std::string s;
  for (auto& l : lines) s += l + "\n";
  return s;
}

// The serialised element that starts with `open` and ends at the next `close`, or "".
std::string element(const std::string& dom, const std::string& open, const std::string& close) {
  const auto start = dom.find(open);
  if (start == std::string::npos) return "";
  const auto end = dom.find(close, start);
  return end == std::string::npos ? "" : dom.substr(start, end - start);
}

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

TEST_F(Browser, ConsoleCheckCatchesAScriptError) {
  const auto page = load("script-error", "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>t</title></head>"
                                         "<body><script>no_such_function();</script></body></html>");
  ASSERT_EQ(page.status, 0) << page.log;
  ASSERT_EQ(page.console.size(), 1u) << page.log;
  EXPECT_NE(page.console[0].find("no_such_function is not defined"), std::string::npos) << page.console[0];
}

TEST_F(Browser, ConsoleCheckCatchesAFetchTheReportForbids) {
  std::string html = render_html(test::synthetic_run(), test::synthetic_findings());
  html.replace(html.find("<main>"), 6, "<main><img alt=\"\" src=\"https://example.com/pixel.png\">");
  const auto page = load("fetch", html);
  ASSERT_EQ(page.status, 0) << page.log;
  ASSERT_FALSE(page.console.empty()) << "a blocked fetch logs nothing: the console check would miss it\n" << page.log;
  EXPECT_NE(page.console[0].find("Content Security Policy"), std::string::npos) << page.console[0];
}

TEST_F(Browser, ReportLoadsWithoutAConsoleMessageAndDrawsEveryChart) {
  const auto page = load("report", render_html(test::synthetic_run(), test::synthetic_findings()));
  ASSERT_EQ(page.status, 0) << page.log;
  EXPECT_TRUE(page.console.empty()) << joined(page.console);
  const std::pair<const char*, const char*> charts[] = {
      {"claims", "chart-claims"}, {"roofline", "chart-roofline"}, {"memory", "chart-memory-sweep"},
      {"memory", "chart-memory-latency"}, {"llm", "chart-llm"}, {"soak", "chart-soak"},
      {"telemetry", "chart-telemetry"}, {"ranking", "chart-ranking"}};
  for (auto [section_id, chart_id] : charts) {
    // Inside its own section, as parsed: a tag the page left open would have moved it elsewhere.
    const auto section = element(page.dom, std::string("<section id=\"") + section_id + "\"", "</section>");
    const auto chart = element(section, std::string("<svg id=\"") + chart_id + "\"", "</svg>");
    ASSERT_FALSE(chart.empty()) << chart_id << " is not inside section " << section_id;
    EXPECT_GT(count(chart, "class=\"mark"), 0u) << chart_id;
  }
  EXPECT_EQ(count(page.dom, "<section id="), 10u);
}

TEST_F(Browser, HostileNamesStayText) {
  const std::string evil = "<script>document.title='pwned'</script><img src=x onerror=\"document.title='pwned'\">";
  auto run = test::synthetic_run();
  run.machine["cpu"]["model_name"] = evil;
  for (auto& r : run.results)
    if (r.suite == "llm") r.params["model_name"] = evil;
  auto findings = test::synthetic_findings();
  findings["recognised"][0]["system"] = nullptr;
  findings["ranking"]["rows"][0]["name"] = evil;
  findings["advice"][0] = evil;
  const auto page = load("hostile", render_html(run, findings));
  ASSERT_EQ(page.status, 0) << page.log;
  EXPECT_TRUE(page.console.empty()) << joined(page.console);
  EXPECT_EQ(page.dom.find("<script"), std::string::npos);
  EXPECT_EQ(page.dom.find("<img"), std::string::npos);
  EXPECT_EQ(page.dom.find("pwned</title>"), std::string::npos);
  EXPECT_NE(page.dom.find("&lt;script&gt;document.title='pwned'&lt;/script&gt;"), std::string::npos);
}

}  // namespace
}  // namespace specgap::report
