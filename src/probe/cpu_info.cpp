// cpu_info_from_sources: every CPU reading combined into the machine record's CpuInfo.
#include "probe/cpu_info.h"

#include <algorithm>

#include <fmt/format.h>

#include "probe/core_kinds.h"
#include "probe/cpuid.h"

namespace specgap {
namespace {

// /proc/cpuinfo is the primary identity: the kernel clears flags whose register state it did not
// enable, which raw CPUID bits cannot show. CPUID fills only what cpuinfo left unknown (a
// container without /proc, a kernel that omits a field).
void fill_unknown(CpuIdentity& id, const CpuIdentity& from_cpuid) {
  if (id.vendor.empty()) id.vendor = from_cpuid.vendor;
  if (id.model_name.empty()) id.model_name = from_cpuid.model_name;
  if (id.family < 0) id.family = from_cpuid.family;
  if (id.model < 0) id.model = from_cpuid.model;
  if (id.stepping < 0) id.stepping = from_cpuid.stepping;
  if (id.isa.empty()) id.isa = from_cpuid.isa;
  id.hypervisor_flag = id.hypervisor_flag || from_cpuid.hypervisor_flag;
}

// Under emulation /proc/cpuinfo and cpufreq are the host's: only the registers speak for the CPU.
void identify_emulated(CpuInfo& cpu, const CpuSources& s) {
  cpu.emulator = s.emulator;
  cpu.freq_source = "none: the host's clock is not the emulated CPU's";
  if (!s.arm_registers) {
    cpu.identity.arch = s.arch;
    cpu.identity.model_name = "unknown (emulated)";
    cpu.uarch = {"emulated", "unknown, emulated"};
    return;
  }
  cpu.identity = identity_from_arm_registers(*s.arm_registers);
  const Uarch core = lookup_uarch(cpu.identity);
  const std::string name = core.id != "unknown" ? core.name
                                                : fmt::format("Arm CPU, implementer {} part {:#05x}",
                                                              cpu.identity.vendor, cpu.identity.model);
  cpu.identity.model_name = fmt::format("{} (emulated, MIDR {:#010x})", name, s.arm_registers->midr);
  cpu.uarch = {"emulated", name + ", emulated"};
}

void identify_native(CpuInfo& cpu, const CpuSources& s) {
  cpu.identity = identity_from_cpuinfo(s.cpuinfo_text, s.arch);
  if (!s.cpuid_leaves.empty()) fill_unknown(cpu.identity, identity_from_cpuid(s.cpuid_leaves));
  cpu.uarch = lookup_uarch(cpu.identity);
  cpu.hypervisor = s.cpuid_leaves.empty() ? "unknown" : hypervisor_from_cpuid(s.cpuid_leaves);
  cpu.freq_max_mhz = s.frequency.max_mhz;
  cpu.freq_nominal_mhz = s.frequency.nominal_mhz;
  cpu.freq_source = s.frequency.source;
}

// Arm kernels print no model name; the cores' names are the best there is: "Arm Neoverse V2", or on a
// hybrid chip every kind's, pinning order first ("Arm Cortex-X925 + Arm Cortex-A725"). Empty while
// any kind is unknown.
std::string name_from_kinds(const std::vector<CoreKind>& kinds) {
  std::string name;
  for (const CoreKind& k : kinds) {
    if (k.uarch.id == "unknown") return "";
    name += (name.empty() ? "" : " + ") + k.uarch.name;
  }
  return name;
}

// The length this process runs at where it was read; else the core's width as the reference gives
// it, said to be that.
void set_sve_length(CpuInfo& cpu, const SveLength& read) {
  const auto& isa = cpu.identity.isa;
  if (std::find(isa.begin(), isa.end(), "sve") == isa.end()) return;
  if (read.bits > 0) {
    cpu.sve_vector_bits = read.bits;
    cpu.sve_vector_source = read.source;
  } else if (cpu.uarch.sve_bits > 0) {
    cpu.sve_vector_bits = cpu.uarch.sve_bits;
    cpu.sve_vector_source = fmt::format("the {}'s width in cpu-uarch.md, not read from this machine", cpu.uarch.name);
  } else {
    cpu.sve_vector_source = "unknown: not read, and the reference gives no width for this core";
  }
}

}  // namespace

CpuInfo cpu_info_from_sources(const CpuSources& s) {
  CpuInfo cpu;
  const bool emulated = !s.emulator.empty();
  if (emulated)
    identify_emulated(cpu, s);
  else
    identify_native(cpu, s);

  const Topology& topo = s.topology;
  cpu.sockets = topo.sockets;
  cpu.cores = topo.cores;
  cpu.threads = topo.threads;
  cpu.smt = topo.smt;
  cpu.core_pus = topo.core_pus;
  cpu.pu_core = topo.pu_core;
  cpu.caches = topo.caches;

  order_core_kinds(cpu, emulated ? std::vector<CoreKind>{} : core_kinds_from_cpuinfo(s.cpuinfo_text));
  if (cpu.identity.model_name.empty()) cpu.identity.model_name = name_from_kinds(cpu.core_kinds);
  set_sve_length(cpu, s.sve);
  return cpu;
}

}  // namespace specgap
