#pragma once
// Raw CPUID: read the leaves specgap decodes, save them as JSON (`specgap probe --cpuid-dump`),
// load them back, and decode them. Decoding is pure, so dumps from other machines are fixtures.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "probe/machine.h"

namespace specgap {

// The leaves specgap reads (Intel SDM vol. 2A "CPUID"; AMD APM vol. 3 appendix E).
namespace cpuid_leaf {
inline constexpr uint32_t kMaxBasic = 0;           // EAX: highest basic leaf; vendor string
inline constexpr uint32_t kFeatures = 1;           // signature, SSE/AVX/FMA bits, hypervisor bit
inline constexpr uint32_t kCacheIntel = 4;         // deterministic cache parameters (Intel, Zhaoxin)
inline constexpr uint32_t kExtendedFeatures = 7;   // AVX2, AVX-512, AMX (subleaf 0 and 1)
inline constexpr uint32_t kHypervisor = 0x40000000;  // hypervisor signature
inline constexpr uint32_t kMaxExtended = 0x80000000;
inline constexpr uint32_t kBrandFirst = 0x80000002, kBrandLast = 0x80000004;  // brand string
inline constexpr uint32_t kCacheAmdL1 = 0x80000005;    // AMD legacy L1d (ECX) and L1i (EDX) sizes
inline constexpr uint32_t kCacheAmdL2L3 = 0x80000006;  // AMD legacy L2 (ECX) and L3 (EDX) sizes
inline constexpr uint32_t kCacheAmd = 0x8000001D;  // cache topology (AMD, Hygon)
}  // namespace cpuid_leaf

// Leaves 0, 1, 7.0, 7.1, 0x80000000, 0x80000002-4, 0x40000000 (only when CPUID.1:ECX[31] says a
// hypervisor is present), and the cache leaves: 4 on Intel and others; on AMD and Hygon 0x8000001D
// plus the legacy 0x80000005-6, which some hypervisors fill while leaving 0x8000001D empty. Each is
// read only when the maximum leaf reported says it exists. Empty off x86-64.
std::vector<CpuidLeaf> read_cpuid_leaves();

// [{"leaf": "0x00000001", "subleaf": "0x0", "eax": "0x00a00f21", ...}, ...]: hex strings, so a dump
// reads like the manuals.
nlohmann::json cpuid_leaves_to_json(const std::vector<CpuidLeaf>& leaves);

// Accepts what cpuid_leaves_to_json writes, or an object holding it under "leaves" (fixtures add a
// "description"); registers may be hex strings or numbers. Throws specgap::Error naming the entry
// and field on anything else.
std::vector<CpuidLeaf> cpuid_leaves_from_json(const nlohmann::json& j);

// The entry for (leaf, subleaf), or nullptr when the dump does not hold it.
const CpuidLeaf* find_cpuid_leaf(const std::vector<CpuidLeaf>& leaves, uint32_t leaf,
                                 uint32_t subleaf = 0);

// The 12-byte vendor string of leaf 0 ("GenuineIntel", "AuthenticAMD"); empty without leaf 0.
std::string cpuid_vendor(const std::vector<CpuidLeaf>& leaves);

// The hypervisor named by the 12-byte signature of leaf 0x40000000.
std::string hypervisor_vendor_name(const std::string& signature);

// "none" when CPUID.1:ECX[31] is clear; the vendor from leaf 0x40000000 when it is set; "unknown"
// when the leaves needed are missing.
std::string hypervisor_from_cpuid(const std::vector<CpuidLeaf>& leaves);

// The caches described by leaf 4 or 0x8000001D: level, type, size and pus_per_instance (from the
// "maximum logical processors sharing" field, which is an upper bound the firmware reports, not a
// count of online CPUs). When a dump holds neither, AMD's legacy leaves 0x80000005-6 give the sizes
// alone (pus_per_instance 0: unknown). `instances` stays 0: CPUID does not say how many there are.
std::vector<CacheLevel> caches_from_cpuid(const std::vector<CpuidLeaf>& leaves);

}  // namespace specgap
