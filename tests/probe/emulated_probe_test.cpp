// The probe under QEMU's user-mode emulation: /proc/cpuinfo is the host's, so the CPU is named from
// its own registers (MIDR_EL1, the hwcaps), called emulated, and given no clock and no peak.
#include <gtest/gtest.h>

#include "fixtures.h"
#include "probe/arm_registers.h"
#include "probe/cpu_info.h"
#include "probe/machine_peak.h"

namespace specgap {
namespace {

using Isa = std::vector<std::string>;

constexpr uint64_t kAsimd = 1u << 1, kFphp = 1u << 9, kAsimddp = 1u << 20, kSve = 1u << 22;
constexpr uint64_t kSve2 = 1u << 1, kI8mm = 1u << 13, kBf16 = 1u << 14, kSme = 1u << 23;
constexpr const char* kQemu = "QEMU user-mode emulation (qemu-aarch64)";

// What QEMU_CPU=neoverse-n1 shows a process (MIDR 0x414fd0c1: r4p1, though no such silicon exists).
constexpr ArmRegisters kQemuNeoverseN1 = {0x414fd0c1, kAsimd | kFphp | kAsimddp, 0};
// QEMU's "max": implementer 0 (reserved for software), part 0x051.
constexpr ArmRegisters kQemuMax = {0x000f0510, kAsimd | kFphp | kAsimddp | kSve, kSve2 | kI8mm | kBf16 | kSme};

CpuInfo probe_under_qemu(const ArmRegisters& regs) {
  CpuSources s;
  s.cpuinfo_text = test::read_fixture("cpuinfo/amd-epyc-zen5-vm.txt");  // the host's, passed through
  s.arch = "aarch64";
  s.topology = topology_from_cpu_count(2);
  s.frequency.nominal_mhz = 2400;
  s.frequency.source = "cpuinfo (nominal, not measured)";
  s.sve = {512, "prctl(PR_SVE_GET_VL): this process's length"};
  s.emulator = kQemu;
  s.arm_registers = regs;
  return cpu_info_from_sources(s);
}

TEST(ArmRegisters, MidrFieldsAndHwcaps) {
  const CpuIdentity n1 = identity_from_arm_registers(kQemuNeoverseN1);
  EXPECT_EQ(n1.arch, "aarch64");
  EXPECT_EQ(n1.vendor, "ARM");
  EXPECT_EQ(n1.model, 0xd0c);
  EXPECT_EQ(n1.stepping, 1);
  EXPECT_EQ(n1.isa, (Isa{"neon", "fphp", "asimddp"}));
  EXPECT_EQ(lookup_uarch(n1).id, "n1");
  const CpuIdentity max = identity_from_arm_registers(kQemuMax);
  EXPECT_EQ(max.vendor, "0x00");
  EXPECT_EQ(max.model, 0x051);
  EXPECT_EQ(max.stepping, 0);
  EXPECT_EQ(max.isa, (Isa{"neon", "fphp", "asimddp", "sve", "sve2", "i8mm", "bf16", "sme"}));
  // A bit in the wrong word is not the feature: SVE2 is bit 1 of AT_HWCAP2, bit 1 of AT_HWCAP is asimd.
  EXPECT_EQ(identity_from_arm_registers({0, kSve2, 0}).isa, (Isa{"neon"}));
}

TEST(EmulatedProbe, NeoverseN1IsNamedEmulatedWithNothingOfTheHost) {
  const CpuInfo cpu = probe_under_qemu(kQemuNeoverseN1);
  EXPECT_EQ(cpu.identity.model_name, "Arm Neoverse N1 (emulated, MIDR 0x414fd0c1)");
  EXPECT_EQ(cpu.identity.vendor, "ARM");
  EXPECT_EQ(cpu.identity.model, 0xd0c);
  EXPECT_EQ(cpu.identity.family, -1);
  EXPECT_EQ(cpu.emulator, kQemu);
  // No row of any peak table, so no claim to hold the emulator's figures against.
  EXPECT_EQ(cpu.uarch.id, "emulated");
  EXPECT_EQ(cpu.uarch.name, "Arm Neoverse N1, emulated");
  EXPECT_TRUE(machine_peaks(cpu).empty());
  // The host's clock is not the CPU's.
  EXPECT_FALSE(cpu.freq_max_mhz);
  EXPECT_FALSE(cpu.freq_nominal_mhz);
  EXPECT_NE(cpu.freq_source.find("host"), std::string::npos);
  ASSERT_EQ(cpu.core_kinds.size(), 1u);
  EXPECT_EQ(cpu.core_kinds[0].uarch.id, "emulated");
  EXPECT_EQ(cpu.sve_vector_bits, 0);  // N1 has no SVE, whatever prctl said
}

TEST(EmulatedProbe, QemuMaxHasNoKnownCoreAndKeepsItsSveLength) {
  const CpuInfo cpu = probe_under_qemu(kQemuMax);
  EXPECT_EQ(cpu.identity.model_name, "Arm CPU, implementer 0x00 part 0x051 (emulated, MIDR 0x000f0510)");
  EXPECT_EQ(cpu.uarch.id, "emulated");
  EXPECT_EQ(cpu.sve_vector_bits, 512);
  EXPECT_EQ(cpu.sve_vector_source, "prctl(PR_SVE_GET_VL): this process's length");
  EXPECT_EQ(cpu.identity.isa.back(), "sme");
}

TEST(EmulatedProbe, WithoutRegistersTheCpuIsUnknownNotTheHost) {
  CpuSources s;
  s.cpuinfo_text = test::read_fixture("cpuinfo/amd-epyc-zen5-vm.txt");
  s.arch = "riscv64";
  s.topology = topology_from_cpu_count(1);
  s.emulator = "QEMU user-mode emulation (qemu-riscv64)";
  const CpuInfo cpu = cpu_info_from_sources(s);
  EXPECT_EQ(cpu.identity.model_name, "unknown (emulated)");
  EXPECT_TRUE(cpu.identity.vendor.empty());
  EXPECT_TRUE(cpu.identity.isa.empty());
  EXPECT_EQ(cpu.uarch.id, "emulated");
}

}  // namespace
}  // namespace specgap
