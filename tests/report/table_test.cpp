// Drawing tables: text aligns numbers right and words left; Markdown keeps one cell per column.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "report/table.h"

namespace specgap::report {
namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// The line of a drawn table whose text contains `needle`.
std::string line_with(const std::string& text, const std::string& needle) {
  for (auto& l : lines_of(text))
    if (l.find(needle) != std::string::npos) return l;
  ADD_FAILURE() << "no line with '" << needle << "' in:\n" << text;
  return "";
}

Table kernels() {
  return {"Bandwidth",
          {"kernel", "median", "impl"},
          {{"copy", "1.50", "avx2"}, {"triad", "100.25", "avx512-nt"}, {"read", "-", "scalar"}},
          {"a note under the table"}};
}

TEST(DrawText, NumbersRightAlignedWordsLeftAligned) {
  const std::string text = draw_text(kernels());
  const std::string copy = line_with(text, "copy"), triad = line_with(text, "triad"), read = line_with(text, "read ");
  // Words start in the same column.
  EXPECT_EQ(copy.find("copy"), triad.find("triad"));
  EXPECT_EQ(copy.find("avx2"), triad.find("avx512-nt"));
  // Numbers (and the "-" shown for a missing value) end in the same column.
  const size_t copy_end = copy.find("1.50") + 4, triad_end = triad.find("100.25") + 6, read_end = read.find(" - ") + 2;
  EXPECT_EQ(copy_end, triad_end) << text;
  EXPECT_EQ(read_end, triad_end) << text;
  EXPECT_EQ(copy.find("1.50"), triad.find("100.25") + 2) << text;
}

TEST(DrawText, TitleHeaderRuleAndNotes) {
  const auto lines = lines_of(draw_text(kernels()));
  ASSERT_GE(lines.size(), 7u);
  EXPECT_EQ(lines[0], "Bandwidth");
  EXPECT_NE(lines[1].find("kernel"), std::string::npos);
  EXPECT_EQ(lines[2].find_first_not_of(" -"), std::string::npos) << lines[2];
  EXPECT_EQ(lines.back(), " a note under the table");
  for (auto& l : lines) EXPECT_TRUE(l.empty() || l.back() != ' ') << "trailing space: '" << l << "'";
}

TEST(DrawText, AColumnWithAnyWordIsLeftAligned) {
  const Table t{"", {"what", "value"}, {{"a", "12"}, {"b", "n/a"}, {"c", "3"}}, {}};
  const std::string text = draw_text(t);
  const std::string a = line_with(text, "a  "), c = line_with(text, "c  ");
  EXPECT_EQ(a.find("12"), c.find("3")) << text;  // both start where the column starts
}

TEST(DrawText, ShortRowsAndWideCellsKeepColumnsApart) {
  const Table t{"", {"a", "b"}, {{"a-very-wide-cell"}, {"x", "y"}}, {}};
  const std::string text = draw_text(t);
  const std::string header = lines_of(text)[0];
  const std::string row = line_with(text, "x");
  EXPECT_EQ(header.find('b'), row.find('y')) << text;
  EXPECT_GT(row.find('y'), std::string("a-very-wide-cell").size()) << text;
}

TEST(DrawMarkdown, PipesInCellsDoNotSplitColumns) {
  const Table t{"Machine", {"what", "value"}, {{"cpu", "ACME | Turbo"}, {"isa", "a|b|c"}}, {"note"}};
  const std::string md = draw_markdown(t);
  EXPECT_NE(md.find("### Machine"), std::string::npos);
  // Every table line has exactly columns + 1 unescaped pipes.
  for (auto& l : lines_of(md)) {
    if (l.empty() || l[0] != '|') continue;
    size_t pipes = 0;
    for (size_t i = 0; i < l.size(); ++i) pipes += l[i] == '|' && (i == 0 || l[i - 1] != '\\');
    EXPECT_EQ(pipes, 3u) << l;
  }
  EXPECT_NE(md.find("|---|---|"), std::string::npos) << md;
  EXPECT_NE(md.find("Turbo"), std::string::npos);
  EXPECT_NE(md.find("\nnote\n"), std::string::npos) << md;
}

}  // namespace
}  // namespace specgap::report
