// Decoding a CPUID dump: identity, ISA bits, hypervisor and caches. Pure functions over the leaves,
// so dumps captured on other machines are test fixtures.
#include <cstring>
#include <string_view>

#include "probe/cpuid.h"
#include "probe/isa.h"

namespace specgap {
namespace {

using namespace cpuid_leaf;

enum class Reg { eax, ebx, ecx, edx };

uint32_t reg(const CpuidLeaf& l, Reg r) {
  switch (r) {
    case Reg::eax: return l.eax;
    case Reg::ebx: return l.ebx;
    case Reg::ecx: return l.ecx;
    case Reg::edx: return l.edx;
  }
  return 0;
}

struct FeatureBit {
  uint32_t leaf, subleaf;
  Reg reg;
  int bit;
  const char* name;  // Linux's cpuinfo spelling, so normalise_isa treats both sources alike
};

// Bit positions from the Intel SDM vol. 2A CPUID tables (and Linux cpufeatures.h, which names them).
// These are what the CPU offers; whether the OS enabled the register state (XGETBV) is not in a dump.
constexpr FeatureBit kFeatureBits[] = {
    {kFeatures, 0, Reg::ecx, 12, "fma"},
    {kFeatures, 0, Reg::ecx, 20, "sse4_2"},
    {kFeatures, 0, Reg::ecx, 28, "avx"},
    {kFeatures, 0, Reg::ecx, 29, "f16c"},
    {kExtendedFeatures, 0, Reg::ebx, 5, "avx2"},
    {kExtendedFeatures, 0, Reg::ebx, 16, "avx512f"},
    {kExtendedFeatures, 0, Reg::ebx, 17, "avx512dq"},
    {kExtendedFeatures, 0, Reg::ebx, 30, "avx512bw"},
    {kExtendedFeatures, 0, Reg::ebx, 31, "avx512vl"},
    {kExtendedFeatures, 0, Reg::ecx, 11, "avx512_vnni"},
    {kExtendedFeatures, 0, Reg::edx, 22, "amx_bf16"},
    {kExtendedFeatures, 0, Reg::edx, 23, "avx512_fp16"},
    {kExtendedFeatures, 0, Reg::edx, 24, "amx_tile"},
    {kExtendedFeatures, 0, Reg::edx, 25, "amx_int8"},
    {kExtendedFeatures, 1, Reg::eax, 4, "avx_vnni"},
    {kExtendedFeatures, 1, Reg::eax, 5, "avx512_bf16"},
    {kExtendedFeatures, 1, Reg::eax, 21, "amx_fp16"},
};

constexpr int kHypervisorBit = 31;  // CPUID.1:ECX[31], reserved for hypervisors to set

struct HypervisorName {
  std::string_view signature;
  const char* name;
};

// Signatures of leaf 0x40000000 (EBX, ECX, EDX), as the hypervisors document them.
constexpr HypervisorName kHypervisors[] = {
    {"KVMKVMKVM", "KVM"},          {"Microsoft Hv", "Microsoft Hv"},
    {"VMwareVMware", "VMware"},    {"XenVMMXenVMM", "Xen"},
    {"TCGTCGTCGTCG", "QEMU TCG"},  {"bhyve bhyve ", "bhyve"},
};

// Registers as the little-endian bytes they hold, trailing NULs dropped.
std::string register_text(std::initializer_list<uint32_t> regs) {
  std::string text;
  for (uint32_t r : regs) {
    char bytes[4];
    std::memcpy(bytes, &r, 4);
    text.append(bytes, 4);
  }
  return text.substr(0, text.find('\0'));
}

std::string trim(const std::string& s) {
  const auto first = s.find_first_not_of(' ');
  if (first == std::string::npos) return {};
  return s.substr(first, s.find_last_not_of(' ') - first + 1);
}

}  // namespace

CpuIdentity identity_from_cpuid(const std::vector<CpuidLeaf>& leaves) {
  CpuIdentity id;
  if (leaves.empty()) return id;
  id.arch = "x86_64";
  id.vendor = cpuid_vendor(leaves);

  if (const CpuidLeaf* l1 = find_cpuid_leaf(leaves, kFeatures)) {
    // Display family and model as Linux computes them (arch/x86/lib/cpu.c x86_family/x86_model):
    // the extended family is added only when the base family is 0xF (AMD since K8), and the
    // extended model is prepended from family 6 up (Intel family 6, AMD family 0xF and above).
    const uint32_t sig = l1->eax;
    int family = int((sig >> 8) & 0xf);
    if (family == 0xf) family += int((sig >> 20) & 0xff);
    int model = int((sig >> 4) & 0xf);
    if (family >= 6) model += int((sig >> 16) & 0xf) << 4;
    id.family = family;
    id.model = model;
    id.stepping = int(sig & 0xf);
    id.hypervisor_flag = (l1->ecx >> kHypervisorBit) & 1;
  }

  std::string brand;
  for (uint32_t leaf = kBrandFirst; leaf <= kBrandLast; ++leaf)
    if (const CpuidLeaf* l = find_cpuid_leaf(leaves, leaf))
      brand += register_text({l->eax, l->ebx, l->ecx, l->edx});
  // Intel right-aligns old brand strings with leading spaces; AMD pads with trailing ones.
  id.model_name = trim(brand);

  std::vector<std::string> raw;
  for (const FeatureBit& f : kFeatureBits) {
    const CpuidLeaf* l = find_cpuid_leaf(leaves, f.leaf, f.subleaf);
    if (l && ((reg(*l, f.reg) >> f.bit) & 1)) raw.emplace_back(f.name);
  }
  id.isa = normalise_isa(IsaFamily::x86, raw);
  return id;
}

std::string hypervisor_vendor_name(const std::string& signature) {
  for (const HypervisorName& h : kHypervisors)
    if (signature == h.signature) return h.name;
  return signature;
}

std::string hypervisor_from_cpuid(const std::vector<CpuidLeaf>& leaves) {
  const CpuidLeaf* l1 = find_cpuid_leaf(leaves, kFeatures);
  if (!l1) return "unknown";
  if (((l1->ecx >> kHypervisorBit) & 1) == 0) return "none";
  const CpuidLeaf* hv = find_cpuid_leaf(leaves, kHypervisor);
  if (!hv) return "unknown";
  const std::string signature = register_text({hv->ebx, hv->ecx, hv->edx});
  return signature.empty() ? "unknown" : hypervisor_vendor_name(signature);
}

std::vector<CacheLevel> caches_from_cpuid(const std::vector<CpuidLeaf>& leaves) {
  static const char* const kTypes[] = {"", "data", "instruction", "unified"};
  std::vector<CacheLevel> caches;
  // Leaf 4 and leaf 0x8000001D share one layout (AMD copied Intel's); a dump holds one or the other.
  for (const CpuidLeaf& l : leaves) {
    if (l.leaf != kCacheIntel && l.leaf != kCacheAmd) continue;
    const uint32_t type = l.eax & 0x1f;
    if (type == 0 || type > 3) continue;
    CacheLevel c;
    c.level = int((l.eax >> 5) & 0x7);
    c.type = kTypes[type];
    const uint64_t ways = ((l.ebx >> 22) & 0x3ff) + 1;
    const uint64_t partitions = ((l.ebx >> 12) & 0x3ff) + 1;
    const uint64_t line_bytes = (l.ebx & 0xfff) + 1;
    const uint64_t sets = uint64_t(l.ecx) + 1;
    c.size_bytes = ways * partitions * line_bytes * sets;
    c.pus_per_instance = int(((l.eax >> 14) & 0xfff) + 1);
    caches.push_back(c);
  }
  if (!caches.empty()) return caches;

  // AMD APM vol. 3, E.4.4-5: L1 sizes in KiB in bits 31:24, L2 in KiB in 31:16, L3 in 512 KiB
  // units in 31:18. A size of 0 means the cache is absent.
  const auto add = [&](int level, const char* type, uint64_t size_bytes) {
    if (size_bytes == 0) return;
    CacheLevel c;
    c.level = level;
    c.type = type;
    c.size_bytes = size_bytes;
    caches.push_back(c);
  };
  if (const CpuidLeaf* l1 = find_cpuid_leaf(leaves, kCacheAmdL1)) {
    add(1, "data", uint64_t(l1->ecx >> 24) * 1024);
    add(1, "instruction", uint64_t(l1->edx >> 24) * 1024);
  }
  if (const CpuidLeaf* l23 = find_cpuid_leaf(leaves, kCacheAmdL2L3)) {
    add(2, "unified", uint64_t(l23->ecx >> 16) * 1024);
    add(3, "unified", uint64_t(l23->edx >> 18) * 512 * 1024);
  }
  return caches;
}

}  // namespace specgap
