#include "report/html_text.h"

#include <cstdlib>
#include <vector>

namespace specgap::report {

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        if ((static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
          out += "\xEF\xBF\xBD";
        else
          out += c;
    }
  }
  return out;
}

namespace {
constexpr size_t kLongCell = 40;

// "49.6", "12%", "1 GiB", "$1999": a number, alone or with one unit word after it.
bool numeric_cell(const std::string& s) {
  const size_t start = s.rfind('$', 0) == 0 ? 1 : 0;
  char* end = nullptr;
  std::strtod(s.c_str() + start, &end);
  if (end == s.c_str() + start) return false;
  const std::string rest(end);
  return rest.empty() || rest == "%" || (rest[0] == ' ' && rest.find(' ', 1) == std::string::npos);
}

// A column whose cells are all numbers (or "-") is right-aligned, header included, as draw_text does.
std::vector<bool> numeric_columns(const Table& t) {
  std::vector<bool> numeric(t.header.size(), !t.rows.empty());
  for (auto& row : t.rows)
    for (size_t c = 0; c < row.size() && c < numeric.size(); ++c)
      if (row[c] != "-" && !numeric_cell(row[c])) numeric[c] = false;
  return numeric;
}
}  // namespace

std::string html_table(const Table& t) {
  const auto numeric = numeric_columns(t);
  // Numbers align right; a long cell (an address, a formula) may break anywhere so that it does not
  // squeeze the columns beside it, while a short one keeps its words whole.
  const auto open_cell = [&](const char* tag, size_t c, size_t length) {
    if (c < numeric.size() && numeric[c]) return std::string("<") + tag + " class=\"num\">";
    return std::string("<") + tag + (length > kLongCell ? " class=\"long\">" : ">");
  };
  std::string out = "<div class=\"table-wrap\"><table>";
  if (!t.title.empty()) out += "<caption>" + html_escape(t.title) + "</caption>";
  out += "<thead><tr>";
  for (size_t c = 0; c < t.header.size(); ++c) out += open_cell("th", c, 0) + html_escape(t.header[c]) + "</th>";
  out += "</tr></thead><tbody>";
  for (auto& row : t.rows) {
    out += "<tr>";
    for (size_t c = 0; c < row.size(); ++c) out += open_cell("td", c, row[c].size()) + html_escape(row[c]) + "</td>";
    out += "</tr>";
  }
  out += "</tbody></table></div>";
  for (auto& note : t.notes) out += "<p class=\"note\">" + html_escape(note) + "</p>";
  return out;
}

std::string html_section(const std::string& id, const std::string& title, const std::string& body) {
  return "<section id=\"" + html_escape(id) + "\"><h2>" + html_escape(title) + "</h2>" + body + "</section>\n";
}

std::string html_empty(const std::string& why) { return "<p class=\"empty\">" + html_escape(why) + "</p>"; }

}  // namespace specgap::report
