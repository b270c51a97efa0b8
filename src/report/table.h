#pragma once
// A table as plain data: what every human-readable format draws. Building tables from results and
// drawing them are separate, so a new format is a new drawer, not a new walk over the results.
#include <string>
#include <vector>

namespace specgap::report {

struct Table {
  std::string title;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> notes;  // lines printed under the table
};

// Columns aligned with spaces; a column of numbers is right-aligned.
std::string draw_text(const Table& t);
// GitHub-flavoured Markdown.
std::string draw_markdown(const Table& t);

}  // namespace specgap::report
