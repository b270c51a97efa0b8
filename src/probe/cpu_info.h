#pragma once
// The CPU part of the machine record, assembled from what probe_machine reads. The readings are plain
// data, so a /proc/cpuinfo fixture takes the same path as the live machine.
#include <optional>
#include <string>
#include <vector>

#include "probe/arm_registers.h"
#include "probe/host.h"
#include "probe/machine.h"
#include "probe/sve_length.h"
#include "probe/topology.h"

namespace specgap {

struct CpuSources {
  std::string cpuinfo_text;
  std::string arch;                     // uname -m
  std::vector<CpuidLeaf> cpuid_leaves;  // empty off x86-64
  Topology topology;
  Frequency frequency;
  SveLength sve;                              // bits 0: not read (a fixture, or no SVE)
  std::string emulator;                       // user_mode_emulator(): "" natively
  std::optional<ArmRegisters> arm_registers;  // this process's, in the aarch64 build
};

// Identity, core kinds (pinned kind by kind), topology, frequency and SVE length. Under a user-mode
// emulator the identity is the emulated CPU's, from its registers, named "emulated"; its uarch is
// "emulated", a row no peak table has, and the host's clock is not reported as the CPU's.
CpuInfo cpu_info_from_sources(const CpuSources& s);

}  // namespace specgap
