#include "telemetry/sysfs.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace specgap::telemetry {
namespace fs = std::filesystem;

std::optional<std::string> read_small(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  char buf[4096];
  const ssize_t n = ::read(fd, buf, sizeof buf);
  ::close(fd);
  if (n < 0) return std::nullopt;
  return std::string(buf, size_t(n));
}

std::optional<double> read_number(const std::string& path) {
  const auto text = read_small(path);
  if (!text) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(text->c_str(), &end);
  if (end == text->c_str()) return std::nullopt;
  return v;
}

std::optional<uint64_t> read_u64(const std::string& path) {
  const auto text = read_small(path);
  if (!text || text->empty() || !std::isdigit(static_cast<unsigned char>((*text)[0]))) return std::nullopt;
  return std::strtoull(text->c_str(), nullptr, 10);
}

std::string read_word(const std::string& path) {
  auto text = read_small(path).value_or("");
  text.erase(std::find(text.begin(), text.end(), '\n'), text.end());
  return text;
}

std::string channel_part(std::string s) {
  for (auto& c : s) {
    c = char(std::tolower(static_cast<unsigned char>(c)));
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') c = '_';
  }
  return s.empty() ? "unnamed" : s;
}

std::vector<fs::path> entries(const fs::path& dir, const std::string& prefix) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->path().filename().string().rfind(prefix, 0) == 0) out.push_back(it->path());
  std::sort(out.begin(), out.end());
  return out;
}

bool readable(const fs::path& p) { return ::access(p.c_str(), R_OK) == 0; }

}  // namespace specgap::telemetry
