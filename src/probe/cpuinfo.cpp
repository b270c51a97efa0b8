// identity_from_cpuinfo: what Linux says about processor 0 in /proc/cpuinfo, for x86 and Arm.
#include "probe/cpuinfo.h"

#include <charconv>
#include <sstream>
#include <string_view>

#include <fmt/format.h>

#include "probe/isa.h"
#include "probe/machine.h"

namespace specgap {
namespace {

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r");
  return s.substr(first, last - first + 1);
}

// x86 prints family/model/stepping in decimal; Arm prints MIDR fields as "0x41". A value that does
// not parse whole leaves the field unknown rather than half-read.
std::optional<int> parse_int(const std::string& text, int base) {
  std::string_view s = text;
  if (base == 16 && (s.starts_with("0x") || s.starts_with("0X"))) s.remove_prefix(2);
  int value = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value, base);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return value;
}

std::vector<std::string> split_words(const std::string& text) {
  std::vector<std::string> words;
  std::istringstream in(text);
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

struct Implementer {
  int code;
  const char* name;
};

// MIDR implementer codes, from Linux arch/arm64/include/asm/cputype.h (LNX-ARM).
constexpr Implementer kImplementers[] = {
    {0x41, "ARM"},      {0x42, "Broadcom"}, {0x43, "Cavium"},    {0x46, "Fujitsu"},
    {0x48, "HiSilicon"}, {0x4e, "NVIDIA"},  {0x50, "APM"},       {0x51, "Qualcomm"},
    {0x61, "Apple"},    {0x6d, "Microsoft"}, {0xc0, "Ampere"},
};

}  // namespace

std::optional<std::string> cpuinfo_value(const std::string& cpuinfo_text, const std::string& key) {
  std::istringstream in(cpuinfo_text);
  for (std::string line; std::getline(in, line);) {
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    if (trim(std::string_view(line).substr(0, colon)) == key)
      return std::string(trim(std::string_view(line).substr(colon + 1)));
  }
  return std::nullopt;
}

std::string arm_implementer_name(int implementer) {
  for (const Implementer& i : kImplementers)
    if (i.code == implementer) return i.name;
  return fmt::format("{:#04x}", implementer);
}

CpuIdentity identity_from_cpuinfo(const std::string& cpuinfo_text, const std::string& arch) {
  CpuIdentity id;
  id.arch = arch;
  const auto value = [&](const char* key) { return cpuinfo_value(cpuinfo_text, key); };
  const auto number = [&](const char* key, int base) -> std::optional<int> {
    const auto v = value(key);
    return v ? parse_int(*v, base) : std::nullopt;
  };

  if (auto name = value("model name")) id.model_name = *name;

  // x86 fields. Both layouts are tried on any arch: their keys never collide, and a cpuinfo
  // captured on another machine (a fixture, a bug report) parses the same way.
  if (auto vendor = value("vendor_id")) id.vendor = *vendor;
  if (auto family = number("cpu family", 10)) id.family = *family;
  if (auto model = number("model", 10)) id.model = *model;
  if (auto stepping = number("stepping", 10)) id.stepping = *stepping;

  // Arm fields: the MIDR split into implementer, part and revision ("r<variant>p<revision>": the
  // revision is the nearest thing to an x86 stepping).
  if (auto implementer = number("CPU implementer", 16)) id.vendor = arm_implementer_name(*implementer);
  if (auto part = number("CPU part", 16)) id.model = *part;
  if (auto revision = number("CPU revision", 10)) id.stepping = *revision;

  // x86 says "flags", arm64 says "Features"; the names inside are Linux's in both cases.
  std::vector<std::string> features;
  if (auto flags = value("flags")) {
    features = split_words(*flags);
    id.isa = normalise_isa(IsaFamily::x86, features);
  } else if (auto arm_features = value("Features")) {
    features = split_words(*arm_features);
    id.isa = normalise_isa(IsaFamily::arm, features);
  }
  for (const auto& f : features)
    if (f == "hypervisor") id.hypervisor_flag = true;
  return id;
}

}  // namespace specgap
