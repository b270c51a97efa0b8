#include "core/pci_address.h"

#include <fmt/format.h>

#include <regex>

namespace specgap {

std::string pci_address(uint32_t domain, uint32_t bus, uint32_t device, uint32_t function) {
  return fmt::format("{:04x}:{:02x}:{:02x}.{:x}", domain, bus, device, function);
}

std::string pci_address(std::string_view text) {
  // [domain:]bus:device.function, hex, the function one digit 0-7.
  static const std::regex form("^(?:([0-9a-fA-F]{1,8}):)?([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2})\\.([0-7])$");
  std::cmatch m;
  if (!std::regex_match(text.begin(), text.end(), m, form)) return "";
  auto hex = [&](int i) { return m[i].matched ? uint32_t(std::stoul(m[i].str(), nullptr, 16)) : 0u; };
  if (hex(3) > 0x1f) return "";
  return pci_address(hex(1), hex(2), hex(3), hex(4));
}

}  // namespace specgap
