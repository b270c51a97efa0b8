// The device seam (DESIGN.md, backends): a suite reaches a device only through backends/device.h,
// never a backend's own headers (backends/cpu/..., backends/vulkan/...).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

namespace specgap::suites {
namespace {
namespace fs = std::filesystem;

const fs::path kSuites = fs::path(SPECGAP_FIXTURES) / ".." / ".." / "src" / "suites";

// "file: include" for every backend header a file under `dir` includes.
std::string backend_includes(const fs::path& dir) {
  const std::regex backend_header(R"(^\s*#\s*include\s*"backends/[^/"]+/)");
  std::string offenders;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path());
    for (std::string line; std::getline(in, line);)
      if (std::regex_search(line, backend_header))
        offenders += fs::relative(entry.path(), kSuites).string() + ": " + line + "\n";
  }
  return offenders;
}

// Every suite folder, memory, transfer, compute, llm and soak: none names a backend's own header.
TEST(SuiteIncludes, NoSuiteIncludesABackendHeader) {
  for (const char* suite : {"memory", "transfer", "compute", "llm", "soak"})
    ASSERT_TRUE(fs::is_directory(kSuites / suite)) << kSuites / suite;
  EXPECT_EQ(backend_includes(kSuites), "");
}

}  // namespace
}  // namespace specgap::suites
