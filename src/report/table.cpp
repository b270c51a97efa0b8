#include "report/table.h"

#include <algorithm>
#include <cctype>

namespace specgap::report {
namespace {
bool numeric(const std::string& cell) {
  return !cell.empty() && (std::isdigit(static_cast<unsigned char>(cell[0])) || cell[0] == '-' || cell[0] == '.');
}

// A column is drawn right-aligned when every filled cell in it is a number.
std::vector<bool> numeric_columns(const Table& t) {
  std::vector<bool> num(t.header.size(), true);
  for (auto& row : t.rows)
    for (size_t i = 0; i < row.size() && i < num.size(); ++i)
      if (!row[i].empty() && !numeric(row[i])) num[i] = false;
  return num;
}

std::vector<size_t> widths(const Table& t) {
  std::vector<size_t> w(t.header.size(), 0);
  for (size_t i = 0; i < t.header.size(); ++i) w[i] = t.header[i].size();
  for (auto& row : t.rows)
    for (size_t i = 0; i < row.size() && i < w.size(); ++i) w[i] = std::max(w[i], row[i].size());
  return w;
}
}  // namespace

std::string draw_text(const Table& t) {
  const auto w = widths(t);
  const auto num = numeric_columns(t);
  std::string out;
  if (!t.title.empty()) out += t.title + "\n";
  auto line = [&](const std::vector<std::string>& cells, bool header) {
    std::string s = " ";
    for (size_t i = 0; i < w.size(); ++i) {
      const std::string cell = i < cells.size() ? cells[i] : "";
      const std::string pad(w[i] - std::min(w[i], cell.size()), ' ');
      s += (!header && num[i]) ? pad + cell : cell + pad;
      if (i + 1 < w.size()) s += "  ";
    }
    while (!s.empty() && s.back() == ' ') s.pop_back();
    out += s + "\n";
  };
  line(t.header, true);
  size_t total = 1;
  for (size_t x : w) total += x + 2;
  out += " " + std::string(total > 3 ? total - 3 : 0, '-') + "\n";
  for (auto& row : t.rows) line(row, false);
  for (auto& n : t.notes) out += " " + n + "\n";
  return out;
}

std::string draw_markdown(const Table& t) {
  std::string out;
  if (!t.title.empty()) out += "### " + t.title + "\n\n";
  auto line = [&](const std::vector<std::string>& cells) {
    std::string s = "|";
    for (auto& c : cells) {
      std::string cell;
      for (char ch : c) cell += ch == '|' ? std::string("\\|") : std::string(1, ch);
      s += " " + cell + " |";
    }
    out += s + "\n";
  };
  line(t.header);
  out += "|";
  for (size_t i = 0; i < t.header.size(); ++i) out += "---|";
  out += "\n";
  for (auto& row : t.rows) line(row);
  if (!t.notes.empty()) {
    out += "\n";
    for (auto& n : t.notes) out += n + "\n";
  }
  return out;
}

}  // namespace specgap::report
