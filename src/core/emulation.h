#pragma once
// Whether this process runs under a user-mode emulator (QEMU's linux-user, as `make test-aarch64`
// runs the Arm build on an x86 machine). There every timing measures the emulator, not a CPU, and a
// child process of this binary's architecture must be started through the emulator too, since the
// host kernel cannot run it alone (unless binfmt_misc was set up, which we do not rely on).
#include <string>
#include <vector>

namespace specgap {

// "" natively; else one line naming the emulator, e.g. "QEMU user-mode emulation (qemu-aarch64)".
std::string user_mode_emulator();

// Pure part, for tests: cpuinfo_text is /proc/cpuinfo as this process reads it, arch the processor
// this binary was built for. QEMU's linux-user passes the host's /proc/cpuinfo through, so an Arm
// binary that reads x86 fields (vendor_id, flags) is emulated.
bool cpuinfo_says_emulated(const std::string& cpuinfo_text, const std::string& arch);

// The words to put before `program` to start it: under emulation, when the program is an ELF file of
// this binary's architecture, the emulator's path (found on PATH as qemu-<arch> or
// qemu-<arch>-static); otherwise none (a host program, such as /bin/false here, runs as it is).
std::vector<std::string> emulator_launcher(const std::string& program);

}  // namespace specgap
