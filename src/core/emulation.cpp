#include "core/emulation.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace specgap {
namespace {

std::string this_arch() {
  utsname u{};
  return uname(&u) == 0 ? u.machine : "";  // QEMU reports the guest's architecture here
}

std::string find_on_path(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path ? path : "/usr/local/bin:/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    const std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

// e_machine of an ELF file (QEMU shows the guest binary as /proc/self/exe); -1 if not one.
int elf_machine(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  unsigned char header[20] = {};
  if (!in.read(reinterpret_cast<char*>(header), sizeof header)) return -1;
  if (header[0] != 0x7f || header[1] != 'E' || header[2] != 'L' || header[3] != 'F') return -1;
  return header[5] == 1 ? header[18] | header[19] << 8 : header[18] << 8 | header[19];  // EI_DATA: 1 = LSB
}

bool emulated() {
  static const bool answer = [] {
    std::ifstream in("/proc/cpuinfo");
    std::stringstream text;
    text << in.rdbuf();
    return cpuinfo_says_emulated(text.str(), this_arch());
  }();
  return answer;
}

}  // namespace

bool cpuinfo_says_emulated(const std::string& cpuinfo_text, const std::string& arch) {
  const bool x86_text = cpuinfo_text.find("vendor_id") != std::string::npos;
  const bool x86_arch = arch == "x86_64" || arch == "i686" || arch == "i386";
  return !arch.empty() && !x86_arch && x86_text;
}

std::string user_mode_emulator() {
  return emulated() ? "QEMU user-mode emulation (qemu-" + this_arch() + ")" : "";
}

std::vector<std::string> emulator_launcher(const std::string& program) {
  if (!emulated() || elf_machine(program) != elf_machine("/proc/self/exe")) return {};
  for (const std::string name : {"qemu-" + this_arch(), "qemu-" + this_arch() + "-static"})
    if (std::string found = find_on_path(name); !found.empty()) return {found};
  return {};  // none found: starting the child fails with its own error, which is reported
}

}  // namespace specgap
