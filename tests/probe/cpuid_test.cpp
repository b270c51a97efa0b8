// CPUID decoding on a captured dump and two constructed ones, the JSON form, and the live reader.
#include <algorithm>
#include <cstring>

#include <gtest/gtest.h>

#include "core/error.h"
#include "core/units.h"
#include "fixtures.h"
#include "probe/cpuid.h"
#include "probe/cpuinfo.h"
#include "probe/host.h"

namespace specgap {
namespace {

using Isa = std::vector<std::string>;

std::vector<CpuidLeaf> fixture_leaves(const std::string& file) {
  return cpuid_leaves_from_json(nlohmann::json::parse(test::read_fixture("cpuid/" + file)));
}

CpuidLeaf leaf(uint32_t leaf, uint32_t subleaf, uint32_t eax, uint32_t ebx, uint32_t ecx, uint32_t edx) {
  CpuidLeaf l;
  l.leaf = leaf;
  l.subleaf = subleaf;
  l.eax = eax;
  l.ebx = ebx;
  l.ecx = ecx;
  l.edx = edx;
  return l;
}

// Leaf 1 with the given signature, and the hypervisor bit (ECX[31]) as asked.
CpuidLeaf leaf1(uint32_t signature, bool hypervisor = false) {
  return leaf(1, 0, signature, 0, hypervisor ? 0x80000000u : 0u, 0);
}

// Leaf 0x40000000 carrying a 12-byte signature in EBX, ECX, EDX.
CpuidLeaf hypervisor_leaf(const char* signature) {
  char bytes[12] = {};
  std::memcpy(bytes, signature, std::min<size_t>(12, std::strlen(signature)));
  CpuidLeaf l = leaf(cpuid_leaf::kHypervisor, 0, 0x40000001, 0, 0, 0);
  std::memcpy(&l.ebx, bytes, 4);
  std::memcpy(&l.ecx, bytes + 4, 4);
  std::memcpy(&l.edx, bytes + 8, 4);
  return l;
}

void expect_cache(const CacheLevel& c, int level, const char* type, uint64_t size, int pus) {
  EXPECT_EQ(c.level, level);
  EXPECT_EQ(c.type, type);
  EXPECT_EQ(c.size_bytes, size);
  EXPECT_EQ(c.pus_per_instance, pus);
  EXPECT_EQ(c.instances, 0);  // CPUID does not count instances
}

TEST(CpuidDecode, CapturedZen5Vm) {
  const auto leaves = fixture_leaves("amd-epyc-zen5-vm.json");
  const CpuIdentity id = identity_from_cpuid(leaves);
  EXPECT_EQ(id.arch, "x86_64");
  EXPECT_EQ(id.vendor, "AuthenticAMD");
  EXPECT_EQ(id.family, 26);  // base 0xF + extended 0xB
  EXPECT_EQ(id.model, 2);
  EXPECT_EQ(id.stepping, 1);
  // The brand the hypervisor reports to user space differs from the kernel's "AMD EPYC".
  EXPECT_EQ(id.model_name, "Oxide Virtual Turin-like Processor");
  EXPECT_TRUE(id.hypervisor_flag);
  EXPECT_EQ(hypervisor_from_cpuid(leaves), "bhyve");
  EXPECT_EQ(lookup_uarch(id).id, "zen5-512");
  // Same ISA as the kernel reports in the cpuinfo captured on the same VM.
  const CpuIdentity kernel = identity_from_cpuinfo(test::read_fixture("cpuinfo/amd-epyc-zen5-vm.txt"), "x86_64");
  EXPECT_EQ(id.isa, kernel.isa);

  // Leaf 0x8000001D is empty on this VM; the legacy leaves give sizes without sharing.
  const auto caches = caches_from_cpuid(leaves);
  ASSERT_EQ(caches.size(), 4u);
  expect_cache(caches[0], 1, "data", 48 * KiB, 0);
  expect_cache(caches[1], 1, "instruction", 32 * KiB, 0);
  expect_cache(caches[2], 2, "unified", 1 * MiB, 0);
  expect_cache(caches[3], 3, "unified", 508 * MiB, 0);
}

TEST(CpuidDecode, SapphireRapidsBareMetal) {
  const auto leaves = fixture_leaves("intel-xeon-8480plus-spr.json");
  const CpuIdentity id = identity_from_cpuid(leaves);
  EXPECT_EQ(id.vendor, "GenuineIntel");
  EXPECT_EQ(id.family, 6);
  EXPECT_EQ(id.model, 0x8f);  // extended model 8 prepended on family 6
  EXPECT_EQ(id.stepping, 8);
  EXPECT_EQ(id.model_name, "Intel(R) Xeon(R) Platinum 8480+");
  EXPECT_FALSE(id.hypervisor_flag);
  EXPECT_EQ(hypervisor_from_cpuid(leaves), "none");
  EXPECT_EQ(lookup_uarch(id).id, "spr");
  const Isa expected = {"sse4_2", "avx", "avx2", "fma", "f16c", "avx512f", "avx512bw", "avx512vl",
                        "avx512dq", "avx512_bf16", "avx512_fp16", "avx512_vnni", "avx_vnni", "amx_tile",
                        "amx_bf16", "amx_int8"};
  EXPECT_EQ(id.isa, expected);
  const CpuIdentity kernel =
      identity_from_cpuinfo(test::read_fixture("cpuinfo/intel-xeon-platinum-8480plus.txt"), "x86_64");
  EXPECT_EQ(id.isa, kernel.isa);

  const auto caches = caches_from_cpuid(leaves);
  ASSERT_EQ(caches.size(), 4u);
  expect_cache(caches[0], 1, "data", 48 * KiB, 2);
  expect_cache(caches[1], 1, "instruction", 32 * KiB, 2);
  expect_cache(caches[2], 2, "unified", 2 * MiB, 2);
  expect_cache(caches[3], 3, "unified", 105 * MiB, 128);
}

TEST(CpuidDecode, Zen2UnderHyperV) {
  const auto leaves = fixture_leaves("amd-epyc-7702-zen2-hyperv.json");
  const CpuIdentity id = identity_from_cpuid(leaves);
  EXPECT_EQ(id.vendor, "AuthenticAMD");
  EXPECT_EQ(id.family, 23);
  EXPECT_EQ(id.model, 49);
  EXPECT_EQ(id.stepping, 0);
  EXPECT_EQ(id.model_name, "AMD EPYC 7702 64-Core Processor");  // trailing blanks trimmed
  EXPECT_EQ(id.isa, (Isa{"sse4_2", "avx", "avx2", "fma", "f16c"}));
  EXPECT_TRUE(id.hypervisor_flag);
  EXPECT_EQ(hypervisor_from_cpuid(leaves), "Microsoft Hv");
  EXPECT_EQ(lookup_uarch(id).id, "zen2");
  // 0x8000001D is present, so it wins over the legacy leaves (which carry no sharing).
  const auto caches = caches_from_cpuid(leaves);
  ASSERT_EQ(caches.size(), 4u);
  expect_cache(caches[0], 1, "data", 32 * KiB, 2);
  expect_cache(caches[2], 2, "unified", 512 * KiB, 2);
  expect_cache(caches[3], 3, "unified", 16 * MiB, 8);
}

TEST(CpuidDecode, DisplayFamilyAndModel) {
  const auto decode = [](uint32_t signature) { return identity_from_cpuid({leaf1(signature)}); };
  CpuIdentity id = decode(0x000906a3);  // Alder Lake-P
  EXPECT_EQ(id.family, 6);
  EXPECT_EQ(id.model, 0x9a);
  EXPECT_EQ(id.stepping, 3);
  id = decode(0x00a20f12);  // Zen 3 Vermeer
  EXPECT_EQ(id.family, 0x19);
  EXPECT_EQ(id.model, 0x21);
  id = decode(0x00000f29);  // NetBurst: family 0xF with extended family 0
  EXPECT_EQ(id.family, 15);
  EXPECT_EQ(id.model, 2);
  id = decode(0x00010543);  // family 5: the extended model field is ignored below family 6
  EXPECT_EQ(id.family, 5);
  EXPECT_EQ(id.model, 4);
  EXPECT_EQ(identity_from_cpuid({}).family, -1);
  EXPECT_TRUE(identity_from_cpuid({}).arch.empty());
}

TEST(CpuidDecode, EachFeatureBitAlone) {
  // Positions from the Intel SDM CPUID tables; each set alone must yield exactly its one name.
  struct Bit {
    uint32_t leaf, subleaf;
    char reg;
    int bit;
    const char* name;
  };
  const Bit bits[] = {
      {1, 0, 'c', 12, "fma"},          {1, 0, 'c', 20, "sse4_2"},       {1, 0, 'c', 28, "avx"},
      {1, 0, 'c', 29, "f16c"},         {7, 0, 'b', 5, "avx2"},          {7, 0, 'b', 16, "avx512f"},
      {7, 0, 'b', 17, "avx512dq"},     {7, 0, 'b', 30, "avx512bw"},     {7, 0, 'b', 31, "avx512vl"},
      {7, 0, 'c', 11, "avx512_vnni"},  {7, 0, 'd', 22, "amx_bf16"},     {7, 0, 'd', 23, "avx512_fp16"},
      {7, 0, 'd', 24, "amx_tile"},     {7, 0, 'd', 25, "amx_int8"},     {7, 1, 'a', 4, "avx_vnni"},
      {7, 1, 'a', 5, "avx512_bf16"},   {7, 1, 'a', 21, "amx_fp16"},
  };
  for (const Bit& b : bits) {
    const uint32_t v = 1u << b.bit;
    CpuidLeaf l = leaf(b.leaf, b.subleaf, b.reg == 'a' ? v : 0, b.reg == 'b' ? v : 0, b.reg == 'c' ? v : 0,
                       b.reg == 'd' ? v : 0);
    EXPECT_EQ(identity_from_cpuid({l}).isa, (Isa{b.name})) << b.name;
  }
  // The same bit in another subleaf means something else.
  EXPECT_TRUE(identity_from_cpuid({leaf(7, 1, 0, 1u << 5, 0, 0)}).isa.empty());
}

TEST(CpuidDecode, HypervisorSignatures) {
  const auto hv = [](const char* signature) {
    return hypervisor_from_cpuid({leaf1(0, true), hypervisor_leaf(signature)});
  };
  EXPECT_EQ(hv("KVMKVMKVM"), "KVM");
  EXPECT_EQ(hv("Microsoft Hv"), "Microsoft Hv");
  EXPECT_EQ(hv("VMwareVMware"), "VMware");
  EXPECT_EQ(hv("XenVMMXenVMM"), "Xen");
  EXPECT_EQ(hv("TCGTCGTCGTCG"), "QEMU TCG");
  EXPECT_EQ(hv("bhyve bhyve "), "bhyve");
  EXPECT_EQ(hv("ACRNACRNACRN"), "ACRNACRNACRN");  // unknown: the raw signature
  // The bit decides: a leaf 0x40000000 on bare metal is noise.
  EXPECT_EQ(hypervisor_from_cpuid({leaf1(0, false), hypervisor_leaf("KVMKVMKVM")}), "none");
  EXPECT_EQ(hypervisor_from_cpuid({leaf1(0, true)}), "unknown");
  EXPECT_EQ(hypervisor_from_cpuid({}), "unknown");
}

TEST(CpuidJson, RoundTrip) {
  const auto leaves = fixture_leaves("intel-xeon-8480plus-spr.json");
  const nlohmann::json j = cpuid_leaves_to_json(leaves);
  ASSERT_TRUE(j.is_array());
  EXPECT_EQ(j[0]["leaf"], "0x00000000");
  EXPECT_EQ(j[0]["ebx"], "0x756e6547");  // "Genu"
  const auto back = cpuid_leaves_from_json(j);
  ASSERT_EQ(back.size(), leaves.size());
  for (size_t i = 0; i < leaves.size(); ++i) {
    EXPECT_EQ(back[i].leaf, leaves[i].leaf);
    EXPECT_EQ(back[i].subleaf, leaves[i].subleaf);
    EXPECT_EQ(back[i].eax, leaves[i].eax);
    EXPECT_EQ(back[i].ebx, leaves[i].ebx);
    EXPECT_EQ(back[i].ecx, leaves[i].ecx);
    EXPECT_EQ(back[i].edx, leaves[i].edx);
  }
}

TEST(CpuidJson, NumbersAndMissingSubleafAccepted) {
  const auto leaves = cpuid_leaves_from_json(
      nlohmann::json::parse(R"([{"leaf": 7, "eax": 1, "ebx": "0xFFFFFFFF", "ecx": 0, "edx": 4294967295}])"));
  ASSERT_EQ(leaves.size(), 1u);
  EXPECT_EQ(leaves[0].leaf, 7u);
  EXPECT_EQ(leaves[0].subleaf, 0u);
  EXPECT_EQ(leaves[0].ebx, 0xffffffffu);
  EXPECT_EQ(leaves[0].edx, 0xffffffffu);
}

TEST(CpuidJson, MalformedDumpsNameTheProblem) {
  const auto error_of = [](const char* text) -> std::string {
    try {
      cpuid_leaves_from_json(nlohmann::json::parse(text));
    } catch (const Error& e) {
      return e.what();
    }
    return "no error";
  };
  EXPECT_NE(error_of(R"([{"leaf": "0x1", "eax": "0xZZ", "ebx": 0, "ecx": 0, "edx": 0}])").find("'eax'"),
            std::string::npos);
  EXPECT_NE(error_of(R"([{"leaf": "0x1", "ebx": 0, "ecx": 0, "edx": 0}])").find("'eax' is missing"),
            std::string::npos);
  EXPECT_NE(error_of(R"([{"leaf": "1", "eax": 0, "ebx": 0, "ecx": 0, "edx": 0}])").find("'leaf'"),
            std::string::npos);
  EXPECT_NE(error_of(R"([{}, {"leaf": 1, "eax": -1, "ebx": 0, "ecx": 0, "edx": 0}])").find("entry 0"),
            std::string::npos);
  EXPECT_NE(error_of(R"([{"leaf": 1, "eax": 4294967296, "ebx": 0, "ecx": 0, "edx": 0}])").find("'eax'"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"description": "no leaves"})").find("leaves"), std::string::npos);
  EXPECT_NE(error_of(R"("text")").find("array"), std::string::npos);
  EXPECT_NE(error_of(R"([1])").find("entry 0"), std::string::npos);
}

TEST(CpuidReader, ReadsThisMachine) {
  const auto leaves = read_cpuid_leaves();
#if defined(__x86_64__)
  ASSERT_NE(find_cpuid_leaf(leaves, cpuid_leaf::kMaxBasic), nullptr);
  ASSERT_NE(find_cpuid_leaf(leaves, cpuid_leaf::kFeatures), nullptr);
  ASSERT_NE(find_cpuid_leaf(leaves, cpuid_leaf::kMaxExtended), nullptr);
  const CpuIdentity id = identity_from_cpuid(leaves);
  EXPECT_FALSE(id.vendor.empty());
  EXPECT_GE(id.family, 3);
  // The hypervisor leaf is read exactly when the hypervisor bit is set.
  EXPECT_EQ(find_cpuid_leaf(leaves, cpuid_leaf::kHypervisor) != nullptr, id.hypervisor_flag);
  // What the kernel saw at boot and what CPUID says now agree on the vendor.
  if (auto cpuinfo = read_text_file("/proc/cpuinfo")) {
    if (auto vendor = cpuinfo_value(*cpuinfo, "vendor_id")) {
      EXPECT_EQ(*vendor, id.vendor);
    }
  }
#else
  EXPECT_TRUE(leaves.empty());
#endif
}

}  // namespace
}  // namespace specgap
