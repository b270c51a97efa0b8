#pragma once
// Reads a file under tests/fixtures (SPECGAP_FIXTURES is the folder's absolute path, set by the build).
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace specgap::test {

inline std::string read_fixture(const std::string& relative) {
  const std::string path = std::string(SPECGAP_FIXTURES) + "/" + relative;
  std::ifstream in(path);
  if (!in) throw std::runtime_error("fixture not found: " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace specgap::test
