#pragma once
// A file name in the test temp folder that no other test process uses: ctest runs the discovered
// tests as parallel processes (and the Arm run starts whole suites at several QEMU cores side by
// side), so a fixed name let two processes write and rename the same file at once.
#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

namespace specgap::test {

inline std::string temp_path(const std::string& name) {
  return ::testing::TempDir() + "/" + std::to_string(::getpid()) + "-" + name;
}

}  // namespace specgap::test
