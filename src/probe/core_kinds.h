#pragma once
// The kinds of core a machine has, from the per-CPU MIDR fields of /proc/cpuinfo (GB10 lists its
// Cortex-A725s and Cortex-X925s there, each CPU with its own part), and the pinning order across them.
#include <string>
#include <vector>

#include "probe/machine.h"

namespace specgap {

// One kind per distinct (implementer, part) among the "processor" blocks of Arm /proc/cpuinfo text,
// in the order of first appearance, each with its CPUs and `cores` = how many CPUs (Arm cores run one
// thread each). Empty for x86 text: its blocks name no part, and a hybrid Intel chip reports one model
// for both of its kinds.
std::vector<CoreKind> core_kinds_from_cpuinfo(const std::string& cpuinfo_text);

// Puts the kinds in pinning order, the core with the higher fp32 rate per cycle first (kinds without
// a rate last, ties in their own order), counts each kind's physical cores through `cpu.pu_core`,
// and orders `cpu.core_pus` kind by kind in that order, so that a run on fewer threads than cores
// fills the fastest kind first and every thread count below a kind's size stays on one kind.
// `cpu.pu_core` is renumbered to match. CPUs the topology does not place keep their cpuinfo count.
// No kinds (x86, emulation): the identity's uarch on every CPU. A single kind gets the CPU's clock;
// several get none here (each kind's own clock is read by probe_machine).
void order_core_kinds(CpuInfo& cpu, std::vector<CoreKind> kinds);

}  // namespace specgap
