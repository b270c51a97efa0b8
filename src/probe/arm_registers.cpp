// identity_from_arm_registers and read_arm_registers: the Arm CPU from MIDR_EL1 and the hwcaps.
#include "probe/arm_registers.h"

#include <string>
#include <vector>

#include "probe/cpuinfo.h"
#include "probe/isa.h"

#if defined(__aarch64__)
#include <asm/hwcap.h>
#include <sys/auxv.h>
#endif

namespace specgap {
namespace {

struct Hwcap {
  int word;  // 1: AT_HWCAP, 2: AT_HWCAP2
  uint64_t bit;
  const char* name;  // cpuinfo's Features spelling
};

// Bits from Linux arch/arm64/include/uapi/asm/hwcap.h, spelled out so that the decoding builds and is
// tested off Arm too; the aarch64 build checks them against the installed header below.
constexpr Hwcap kHwcaps[] = {
    {1, uint64_t{1} << 1, "asimd"},   {1, uint64_t{1} << 9, "fphp"}, {1, uint64_t{1} << 20, "asimddp"},
    {1, uint64_t{1} << 22, "sve"},    {2, uint64_t{1} << 1, "sve2"}, {2, uint64_t{1} << 13, "i8mm"},
    {2, uint64_t{1} << 14, "bf16"},   {2, uint64_t{1} << 23, "sme"},
};

#if defined(__aarch64__)
static_assert(kHwcaps[0].bit == HWCAP_ASIMD && kHwcaps[1].bit == HWCAP_FPHP && kHwcaps[2].bit == HWCAP_ASIMDDP &&
              kHwcaps[3].bit == HWCAP_SVE && kHwcaps[4].bit == HWCAP2_SVE2 && kHwcaps[5].bit == HWCAP2_I8MM &&
              kHwcaps[6].bit == HWCAP2_BF16);
#if defined(HWCAP2_SME)
static_assert(kHwcaps[7].bit == HWCAP2_SME);
#endif
#endif

}  // namespace

CpuIdentity identity_from_arm_registers(const ArmRegisters& r) {
  CpuIdentity id;
  id.arch = "aarch64";
  id.vendor = arm_implementer_name(int((r.midr >> 24) & 0xff));
  id.model = int((r.midr >> 4) & 0xfff);
  id.stepping = int(r.midr & 0xf);
  std::vector<std::string> features;
  for (const Hwcap& h : kHwcaps)
    if (((h.word == 1 ? r.hwcap : r.hwcap2) & h.bit) != 0) features.emplace_back(h.name);
  id.isa = normalise_isa(IsaFamily::arm, features);
  return id;
}

std::optional<ArmRegisters> read_arm_registers() {
#if defined(__aarch64__)
  ArmRegisters r;
  r.hwcap = getauxval(AT_HWCAP);
  r.hwcap2 = getauxval(AT_HWCAP2);
  // Linux traps EL0 reads of MIDR_EL1 and answers with the CPU's value where it sets HWCAP_CPUID
  // (arm64 cpu-feature-registers.rst; QEMU's linux-user sets it and answers with the emulated CPU's);
  // without it the read would be an undefined instruction.
  if ((r.hwcap & HWCAP_CPUID) == 0) return std::nullopt;
  asm volatile("mrs %0, midr_el1" : "=r"(r.midr));
  return r;
#else
  return std::nullopt;
#endif
}

}  // namespace specgap
