// Reading CPUID on this machine, and the JSON form of a dump.
#include "probe/cpuid.h"

#include <charconv>
#include <cstring>
#include <string_view>

#include <fmt/format.h>

#include "core/error.h"

namespace specgap {
namespace {

using namespace cpuid_leaf;
// The cache leaves end with a subleaf of type 0; this bounds the walk should a VM never report one.
constexpr uint32_t kMaxCacheSubleaves = 16;

#if defined(__x86_64__)
CpuidLeaf cpuid(uint32_t leaf, uint32_t subleaf) {
  CpuidLeaf r;
  r.leaf = leaf;
  r.subleaf = subleaf;
  // Inline asm rather than GCC's <cpuid.h>: that header's name collides with this one's.
  asm volatile("cpuid" : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx) : "a"(leaf), "c"(subleaf));
  return r;
}

// Appends subleaves of a deterministic cache leaf until one reports cache type 0 (no more caches).
void read_cache_leaf(uint32_t leaf, std::vector<CpuidLeaf>& out) {
  for (uint32_t sub = 0; sub < kMaxCacheSubleaves; ++sub) {
    const CpuidLeaf c = cpuid(leaf, sub);
    if ((c.eax & 0x1f) == 0) break;
    out.push_back(c);
  }
}
#endif

std::string hex32(uint32_t v) { return fmt::format("{:#010x}", v); }

uint32_t register_from_json(const nlohmann::json& entry, const char* field, size_t index) {
  const auto fail = [&](const std::string& got) {
    return Error(fmt::format("cpuid dump entry {}: field '{}' is {}, expected a 32-bit value "
                             "(hex string like \"0x0000000d\" or a number)",
                             index, field, got));
  };
  if (!entry.contains(field)) {
    // A missing subleaf means subleaf 0, as CPUID itself treats leaves without subleaves.
    if (std::strcmp(field, "subleaf") == 0) return 0;
    throw fail("missing");
  }
  const nlohmann::json& v = entry[field];
  if (v.is_number_unsigned()) {
    const uint64_t n = v.get<uint64_t>();
    if (n > UINT32_MAX) throw fail(v.dump());
    return uint32_t(n);
  }
  if (!v.is_string()) throw fail(v.dump());
  std::string_view s = v.get_ref<const std::string&>();
  if (!(s.starts_with("0x") || s.starts_with("0X"))) throw fail(v.dump());
  s.remove_prefix(2);
  uint32_t n = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n, 16);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) throw fail(v.dump());
  return n;
}

}  // namespace

const CpuidLeaf* find_cpuid_leaf(const std::vector<CpuidLeaf>& leaves, uint32_t leaf,
                                 uint32_t subleaf) {
  for (const CpuidLeaf& l : leaves)
    if (l.leaf == leaf && l.subleaf == subleaf) return &l;
  return nullptr;
}

std::string cpuid_vendor(const std::vector<CpuidLeaf>& leaves) {
  const CpuidLeaf* l0 = find_cpuid_leaf(leaves, kMaxBasic);
  if (!l0) return {};
  // The vendor string is EBX, EDX, ECX in that order ("Genu" "ineI" "ntel").
  char text[12];
  std::memcpy(text, &l0->ebx, 4);
  std::memcpy(text + 4, &l0->edx, 4);
  std::memcpy(text + 8, &l0->ecx, 4);
  return std::string(text, strnlen(text, sizeof text));
}

std::vector<CpuidLeaf> read_cpuid_leaves() {
  std::vector<CpuidLeaf> out;
#if defined(__x86_64__)
  out.push_back(cpuid(kMaxBasic, 0));
  const uint32_t max_basic = out.back().eax;
  const std::string vendor = cpuid_vendor(out);
  const bool amd_cache_leaf = vendor == "AuthenticAMD" || vendor == "HygonGenuine";

  bool hypervisor = false;
  if (max_basic >= kFeatures) {
    out.push_back(cpuid(kFeatures, 0));
    hypervisor = (out.back().ecx >> 31) & 1;
  }
  if (max_basic >= kExtendedFeatures) {
    out.push_back(cpuid(kExtendedFeatures, 0));
    // 7.0 EAX is the highest subleaf of leaf 7; 7.1 holds AVX-VNNI, AVX512_BF16 and AMX-FP16.
    if (out.back().eax >= 1) out.push_back(cpuid(kExtendedFeatures, 1));
  }
  if (!amd_cache_leaf && max_basic >= kCacheIntel) read_cache_leaf(kCacheIntel, out);

  out.push_back(cpuid(kMaxExtended, 0));
  const uint32_t max_extended = out.back().eax;
  // Without extended leaves, EAX is not of the form 0x8000xxxx.
  if ((max_extended & 0x80000000u) != 0) {
    if (max_extended >= kBrandLast)
      for (uint32_t leaf = kBrandFirst; leaf <= kBrandLast; ++leaf) out.push_back(cpuid(leaf, 0));
    if (amd_cache_leaf && max_extended >= kCacheAmdL2L3) {
      out.push_back(cpuid(kCacheAmdL1, 0));
      out.push_back(cpuid(kCacheAmdL2L3, 0));
    }
    if (amd_cache_leaf && max_extended >= kCacheAmd) read_cache_leaf(kCacheAmd, out);
  }
  // On bare metal leaf 0x40000000 is undefined (Intel parts echo the highest basic leaf), so it is
  // only read when the hypervisor bit says someone answers it.
  if (hypervisor) out.push_back(cpuid(kHypervisor, 0));
#endif
  return out;
}

nlohmann::json cpuid_leaves_to_json(const std::vector<CpuidLeaf>& leaves) {
  nlohmann::json out = nlohmann::json::array();
  for (const CpuidLeaf& l : leaves) {
    out.push_back({{"leaf", hex32(l.leaf)},
                   {"subleaf", fmt::format("{:#x}", l.subleaf)},
                   {"eax", hex32(l.eax)},
                   {"ebx", hex32(l.ebx)},
                   {"ecx", hex32(l.ecx)},
                   {"edx", hex32(l.edx)}});
  }
  return out;
}

std::vector<CpuidLeaf> cpuid_leaves_from_json(const nlohmann::json& j) {
  const nlohmann::json* list = &j;
  if (j.is_object()) {
    if (!j.contains("leaves")) throw Error("cpuid dump: object has no \"leaves\" array");
    list = &j["leaves"];
  }
  if (!list->is_array())
    throw Error(fmt::format("cpuid dump: expected an array of leaves, got {}", list->type_name()));
  std::vector<CpuidLeaf> leaves;
  for (size_t i = 0; i < list->size(); ++i) {
    const nlohmann::json& e = (*list)[i];
    if (!e.is_object())
      throw Error(fmt::format("cpuid dump entry {}: expected an object, got {}", i, e.type_name()));
    CpuidLeaf l;
    l.leaf = register_from_json(e, "leaf", i);
    l.subleaf = register_from_json(e, "subleaf", i);
    l.eax = register_from_json(e, "eax", i);
    l.ebx = register_from_json(e, "ebx", i);
    l.ecx = register_from_json(e, "ecx", i);
    l.edx = register_from_json(e, "edx", i);
    leaves.push_back(l);
  }
  return leaves;
}

}  // namespace specgap
