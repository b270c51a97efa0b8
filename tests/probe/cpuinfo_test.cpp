// identity_from_cpuinfo on real and written /proc/cpuinfo files, and the uarch each maps to.
#include <cctype>

#include <gtest/gtest.h>

#include "fixtures.h"
#include "probe/cpuinfo.h"
#include "probe/isa.h"
#include "probe/machine.h"

namespace specgap {
namespace {

using Isa = std::vector<std::string>;

const Isa kZen5Isa = {"sse4_2", "avx", "avx2", "fma", "f16c", "avx512f", "avx512bw", "avx512vl",
                      "avx512dq", "avx512_bf16", "avx512_vnni", "avx_vnni"};
const Isa kAvx2Isa = {"sse4_2", "avx", "avx2", "fma", "f16c"};
const Isa kArmSve2Isa = {"neon", "fphp", "asimddp", "sve", "sve2", "i8mm", "bf16"};

struct CpuinfoCase {
  const char* file;
  const char* arch;
  const char* vendor;
  const char* model_name;
  int family, model, stepping;
  const char* uarch;
  Isa isa;
  bool hypervisor;
};

const CpuinfoCase kCases[] = {
    {"amd-epyc-zen5-vm.txt", "x86_64", "AuthenticAMD", "AMD EPYC", 26, 2, 1, "zen5-512", kZen5Isa, true},
    {"amd-epyc-7702.txt", "x86_64", "AuthenticAMD", "AMD EPYC 7702 64-Core Processor", 23, 49, 0, "zen2",
     kAvx2Isa, false},
    {"intel-xeon-platinum-8480plus.txt", "x86_64", "GenuineIntel", "Intel(R) Xeon(R) Platinum 8480+", 6,
     143, 8, "spr",
     {"sse4_2", "avx", "avx2", "fma", "f16c", "avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512_bf16",
      "avx512_fp16", "avx512_vnni", "avx_vnni", "amx_tile", "amx_bf16", "amx_int8"},
     false},
    {"intel-core-i9-12900k.txt", "x86_64", "GenuineIntel", "12th Gen Intel(R) Core(TM) i9-12900K", 6, 151,
     2, "glc-client", {"sse4_2", "avx", "avx2", "fma", "f16c", "avx_vnni"}, false},
    {"intel-xeon-gold-6248.txt", "x86_64", "GenuineIntel", "Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz", 6, 85,
     7, "skx",
     {"sse4_2", "avx", "avx2", "fma", "f16c", "avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512_vnni"},
     false},
    {"amd-ryzen-ai-max-plus-395.txt", "x86_64", "AuthenticAMD", "AMD RYZEN AI MAX+ 395 w/ Radeon 8060S", 26,
     112, 0, "zen5-512", kZen5Isa, false},
    {"nvidia-grace-neoverse-v2.txt", "aarch64", "ARM", "", -1, 0xd4f, 0, "v2", kArmSve2Isa, false},
    {"nvidia-gb10.txt", "aarch64", "ARM", "", -1, 0xd87, 1, "a725", kArmSve2Isa, false},
    {"aws-graviton3-neoverse-v1.txt", "aarch64", "ARM", "", -1, 0xd40, 1, "v1",
     {"neon", "fphp", "asimddp", "sve", "i8mm", "bf16"}, false},
    {"ampere-altra-neoverse-n1.txt", "aarch64", "ARM", "", -1, 0xd0c, 1, "n1", {"neon", "fphp", "asimddp"}, false},
    {"apple-m2-asahi.txt", "aarch64", "Apple", "", -1, 0x032, 1, "apple-e", {"neon", "fphp", "asimddp", "i8mm", "bf16"},
     false},
};

// Names the case by its file in failure messages instead of a byte dump.
void PrintTo(const CpuinfoCase& c, std::ostream* os) { *os << c.file; }

class CpuinfoFixture : public ::testing::TestWithParam<CpuinfoCase> {};

TEST_P(CpuinfoFixture, IdentityUarchAndIsa) {
  const CpuinfoCase& c = GetParam();
  const CpuIdentity id = identity_from_cpuinfo(test::read_fixture(std::string("cpuinfo/") + c.file), c.arch);
  EXPECT_EQ(id.arch, c.arch);
  EXPECT_EQ(id.vendor, c.vendor);
  EXPECT_EQ(id.model_name, c.model_name);
  EXPECT_EQ(id.family, c.family);
  EXPECT_EQ(id.model, c.model);
  EXPECT_EQ(id.stepping, c.stepping);
  EXPECT_EQ(id.isa, c.isa);
  EXPECT_EQ(id.hypervisor_flag, c.hypervisor);
  EXPECT_EQ(lookup_uarch(id).id, c.uarch);
}

INSTANTIATE_TEST_SUITE_P(Cpus, CpuinfoFixture, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<CpuinfoCase>& info) {
                           std::string name = info.param.file;
                           for (char& ch : name)
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           return name;
                         });

TEST(Cpuinfo, EmptyTextLeavesEverythingUnknown) {
  const CpuIdentity id = identity_from_cpuinfo("", "x86_64");
  EXPECT_EQ(id.arch, "x86_64");
  EXPECT_TRUE(id.vendor.empty());
  EXPECT_EQ(id.family, -1);
  EXPECT_EQ(id.model, -1);
  EXPECT_EQ(id.stepping, -1);
  EXPECT_TRUE(id.isa.empty());
  EXPECT_FALSE(id.hypervisor_flag);
  EXPECT_EQ(lookup_uarch(id).id, "unknown");
}

TEST(Cpuinfo, ProcessorZeroDecidesOnHybridArm) {
  const std::string text =
      "processor\t: 0\nFeatures\t: fp asimd\nCPU implementer\t: 0x41\nCPU part\t: 0xd87\nCPU revision\t: 1\n\n"
      "processor\t: 1\nFeatures\t: fp asimd sve\nCPU implementer\t: 0x41\nCPU part\t: 0xd85\nCPU revision\t: 2\n";
  const CpuIdentity id = identity_from_cpuinfo(text, "aarch64");
  EXPECT_EQ(id.model, 0xd87);
  EXPECT_EQ(id.stepping, 1);
  EXPECT_EQ(id.isa, (Isa{"neon"}));
}

TEST(Cpuinfo, MalformedNumbersStayUnknown) {
  const CpuIdentity id =
      identity_from_cpuinfo("vendor_id\t: GenuineIntel\ncpu family\t: six\nmodel\t\t: 85x\nstepping\t: \n", "x86_64");
  EXPECT_EQ(id.vendor, "GenuineIntel");
  EXPECT_EQ(id.family, -1);
  EXPECT_EQ(id.model, -1);
  EXPECT_EQ(id.stepping, -1);
}

TEST(Cpuinfo, AppleImplementerAndPart) {
  const CpuIdentity id = identity_from_cpuinfo(
      "processor\t: 0\nFeatures\t: fp asimd asimddp i8mm bf16\nCPU implementer\t: 0x61\nCPU part\t: 0x033\n",
      "aarch64");
  EXPECT_EQ(id.vendor, "Apple");
  EXPECT_EQ(id.model, 0x033);
  EXPECT_EQ(id.isa, (Isa{"neon", "asimddp", "i8mm", "bf16"}));
  const Uarch u = lookup_uarch(id);
  EXPECT_EQ(u.id, "apple-p");
  EXPECT_EQ(u.name, "Apple M2 Avalanche (P-core)");
}

TEST(Cpuinfo, ImplementerNames) {
  EXPECT_EQ(arm_implementer_name(0x41), "ARM");
  EXPECT_EQ(arm_implementer_name(0x61), "Apple");
  EXPECT_EQ(arm_implementer_name(0x4e), "NVIDIA");
  EXPECT_EQ(arm_implementer_name(0xc0), "Ampere");
  EXPECT_EQ(arm_implementer_name(0x99), "0x99");
}

TEST(Cpuinfo, ValueOfFirstMatchingKeyOnly) {
  const std::string text = "model\t\t: 2\nmodel name\t: X\nflags\t\t: avx\nvmx flags\t: ept\nmodel\t\t: 9\n";
  EXPECT_EQ(cpuinfo_value(text, "model"), "2");
  EXPECT_EQ(cpuinfo_value(text, "model name"), "X");
  EXPECT_EQ(cpuinfo_value(text, "flags"), "avx");
  EXPECT_EQ(cpuinfo_value(text, "vmx flags"), "ept");
  EXPECT_FALSE(cpuinfo_value(text, "cpu MHz").has_value());
}

TEST(Isa, CanonicalOrderNamesAndNoDuplicates) {
  // Input order and unrelated flags must not matter; asimd (arm64) and neon (arm32) are one name.
  EXPECT_EQ(normalise_isa(IsaFamily::x86, {"amx_int8", "pclmulqdq", "avx2", "sse4_2", "avx2"}),
            (Isa{"sse4_2", "avx2", "amx_int8"}));
  EXPECT_EQ(normalise_isa(IsaFamily::arm, {"sme", "neon", "asimd", "sve"}), (Isa{"neon", "sve", "sme"}));
  EXPECT_EQ(normalise_isa(IsaFamily::arm, {"bf16", "asimdhp", "fphp", "asimd"}), (Isa{"neon", "fphp", "bf16"}));
  EXPECT_TRUE(normalise_isa(IsaFamily::arm, {"svei8mm", "svebf16", "avx512ifma"}).empty());
}

TEST(Isa, FamiliesDoNotLeakIntoEachOther) {
  // x86 "sme" is AMD Secure Memory Encryption (EPYC flags), not Arm's matrix extension.
  EXPECT_TRUE(normalise_isa(IsaFamily::x86, {"sme", "sev", "asimd"}).empty());
  EXPECT_TRUE(normalise_isa(IsaFamily::arm, {"avx2", "fma"}).empty());
}

}  // namespace
}  // namespace specgap
