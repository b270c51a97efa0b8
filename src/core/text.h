#pragma once
// Text helpers the layers share.
#include <cctype>
#include <string>
#include <string_view>

namespace specgap {

// ASCII lower case: names from sources and files compared without regard to case.
inline std::string lowercase(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace specgap
