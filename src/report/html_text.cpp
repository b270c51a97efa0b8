#include "report/html_text.h"

#include <cstdlib>

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
// A cell that reads as a number ("49.6", "-", "12%") is right-aligned, as draw_text does.
bool numeric_cell(const std::string& s) {
  if (s.empty() || s == "-") return false;
  char* end = nullptr;
  std::strtod(s.c_str(), &end);
  return end != s.c_str() && (*end == '\0' || *end == '%' || *end == ' ');
}
}  // namespace

std::string html_table(const Table& t) {
  std::string out = "<div class=\"table-wrap\"><table>";
  if (!t.title.empty()) out += "<caption>" + html_escape(t.title) + "</caption>";
  out += "<thead><tr>";
  for (auto& h : t.header) out += "<th>" + html_escape(h) + "</th>";
  out += "</tr></thead><tbody>";
  for (auto& row : t.rows) {
    out += "<tr>";
    for (auto& cell : row) out += (numeric_cell(cell) ? "<td class=\"num\">" : "<td>") + html_escape(cell) + "</td>";
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
