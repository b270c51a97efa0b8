#include "core/units.h"

#include <cctype>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

namespace specgap {

std::string format_bytes(uint64_t bytes) {
  static const char* names[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = double(bytes);
  int unit = 0;
  while (v >= 1024 && unit < 4) {
    v /= 1024;
    ++unit;
  }
  if (unit == 0) return fmt::format("{} B", bytes);
  if (v == std::floor(v)) return fmt::format("{:.0f} {}", v, names[unit]);
  return fmt::format("{:.4g} {}", v, names[unit]);
}

std::optional<uint64_t> parse_bytes(const std::string& text) {
  if (text.empty() || !(std::isdigit(static_cast<unsigned char>(text[0])) || text[0] == '.'))
    return std::nullopt;
  char* end = nullptr;
  const double number = std::strtod(text.c_str(), &end);
  std::string suffix(end);
  for (auto& c : suffix) c = char(std::tolower(static_cast<unsigned char>(c)));
  double scale = 0;
  if (suffix.empty() || suffix == "b") scale = 1;
  else if (suffix == "k" || suffix == "kb" || suffix == "kib") scale = double(KiB);
  else if (suffix == "m" || suffix == "mb" || suffix == "mib") scale = double(MiB);
  else if (suffix == "g" || suffix == "gb" || suffix == "gib") scale = double(GiB);
  else if (suffix == "t" || suffix == "tb" || suffix == "tib") scale = double(GiB) * 1024;
  else return std::nullopt;
  const double bytes = number * scale;
  if (!std::isfinite(bytes) || bytes < 1 || bytes > 1e18) return std::nullopt;
  return uint64_t(std::llround(bytes));
}

}  // namespace specgap
