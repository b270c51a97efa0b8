// Frequency, memory size and OS facts from /proc, /sys and uname(2).
#include "probe/host.h"

#include <sys/utsname.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "probe/cpuinfo.h"

namespace specgap {
namespace {

constexpr const char* kCpufreqMax = "/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq";

// A positive finite number filling the whole text (surrounding blanks allowed), else nothing.
std::optional<double> parse_positive(const std::string& text) {
  const char* begin = text.c_str();
  char* end = nullptr;
  const double v = std::strtod(begin, &end);
  if (end == begin) return std::nullopt;
  for (; *end != '\0'; ++end)
    if (*end != ' ' && *end != '\t' && *end != '\n') return std::nullopt;
  if (!(v > 0) || v > 1e12) return std::nullopt;
  return v;
}

// "MemTotal:       24683620 kB" -> bytes. The kernel always prints these two in kB.
std::optional<uint64_t> meminfo_kb_field(const std::string& text, const std::string& key) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(key + ":", 0) != 0) continue;
    std::istringstream fields(line.substr(key.size() + 1));
    uint64_t kb = 0;
    std::string unit;
    if (fields >> kb >> unit && unit == "kB") return kb * 1024;
    return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> read_text_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Frequency frequency_from_sources(const std::optional<std::string>& cpufreq_max_khz,
                                 const std::string& cpuinfo_text) {
  Frequency f;
  if (cpufreq_max_khz) {
    if (auto khz = parse_positive(*cpufreq_max_khz)) {
      f.max_mhz = *khz / 1000.0;
      f.source = "cpufreq";
      return f;
    }
  }
  if (auto mhz_text = cpuinfo_value(cpuinfo_text, "cpu MHz")) {
    if (auto mhz = parse_positive(*mhz_text)) {
      f.nominal_mhz = *mhz;
      f.source = "cpuinfo (nominal, not measured)";
    }
  }
  return f;
}

Frequency read_frequency(const std::string& cpuinfo_text) {
  return frequency_from_sources(read_text_file(kCpufreqMax), cpuinfo_text);
}

MemoryInfo memory_from_meminfo(const std::string& meminfo_text) {
  MemoryInfo m;
  m.total_bytes = meminfo_kb_field(meminfo_text, "MemTotal").value_or(0);
  m.available_bytes = meminfo_kb_field(meminfo_text, "MemAvailable").value_or(0);
  return m;
}

OsInfo read_os_info() {
  OsInfo os;
  struct utsname u {};
  if (uname(&u) == 0) {
    os.kernel = u.release;
    os.hostname = u.nodename;
  }
  return os;
}

std::string read_machine_arch() {
  struct utsname u {};
  return uname(&u) == 0 ? std::string(u.machine) : std::string();
}

}  // namespace specgap
