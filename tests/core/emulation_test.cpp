#include "core/emulation.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace specgap {
namespace {

std::string fixture(const std::string& name) {
  std::ifstream in(std::string(SPECGAP_FIXTURES) + "/cpuinfo/" + name);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_FALSE(text.str().empty()) << name;
  return text.str();
}

TEST(Emulation, AnArmBinaryReadingAnX86CpuinfoIsEmulated) {
  EXPECT_TRUE(cpuinfo_says_emulated(fixture("amd-epyc-zen5-vm.txt"), "aarch64"));
}

TEST(Emulation, NativeCpuinfoOfEitherArchitectureIsNot) {
  EXPECT_FALSE(cpuinfo_says_emulated(fixture("amd-epyc-zen5-vm.txt"), "x86_64"));
  EXPECT_FALSE(cpuinfo_says_emulated(fixture("nvidia-grace-neoverse-v2.txt"), "aarch64"));
  EXPECT_FALSE(cpuinfo_says_emulated("", "aarch64"));
}

TEST(Emulation, ALauncherExistsExactlyWhenEmulated) {
  // Natively nothing goes before a child; under QEMU (the cross build's test run) the emulator does.
  EXPECT_EQ(user_mode_emulator().empty(), emulator_launcher("/proc/self/exe").empty());
  EXPECT_TRUE(emulator_launcher("/bin/sh").empty());  // a host program (x86 under QEMU here) runs as it is
  EXPECT_TRUE(emulator_launcher("/nonexistent").empty());
#if defined(__x86_64__)
  EXPECT_EQ(user_mode_emulator(), "");
#endif
}

}  // namespace
}  // namespace specgap
