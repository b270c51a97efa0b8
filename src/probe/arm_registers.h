#pragma once
// The Arm CPU as this process sees it, from its own registers rather than /proc/cpuinfo: MIDR_EL1
// (which Linux, and QEMU's user-mode emulation, let EL0 read) and the hwcaps of the auxiliary vector.
// Under QEMU's user-mode emulation /proc/cpuinfo is the host's, so these are the only account of the
// emulated CPU. Decoding is pure, so it is tested on any build.
#include <cstdint>
#include <optional>

#include "probe/machine.h"

namespace specgap {

struct ArmRegisters {
  uint64_t midr = 0;    // MIDR_EL1
  uint64_t hwcap = 0;   // getauxval(AT_HWCAP)
  uint64_t hwcap2 = 0;  // getauxval(AT_HWCAP2)
};

// MIDR_EL1 split as /proc/cpuinfo prints it (Arm ARM D23.2 "MIDR_EL1"): implementer [31:24] as the
// vendor, part [15:4] as the model, revision [3:0] as the stepping; the hwcaps that matter to specgap
// as the isa list, named as cpuinfo's Features line names them.
CpuIdentity identity_from_arm_registers(const ArmRegisters& r);

// This process's registers; nullopt off aarch64, or where the kernel does not let EL0 read MIDR_EL1.
std::optional<ArmRegisters> read_arm_registers();

}  // namespace specgap
