#include "probe/isa.h"

#include <algorithm>
#include <string_view>

namespace specgap {
namespace {

struct IsaName {
  IsaFamily family;
  std::string_view raw;        // as Linux prints it in cpuinfo
  std::string_view canonical;  // as specgap reports it
};

constexpr IsaFamily kX86 = IsaFamily::x86, kArm = IsaFamily::arm;

// The canonical order is this table's order. x86 names are Linux's own (arch/x86 cpufeatures.h),
// so they map to themselves. On Arm, Linux calls Advanced SIMD "asimd" (arm64) or "neon" (arm32);
// specgap reports both as "neon", the name users and Apple's tooling know. "fphp" is FEAT_FP16
// (half-precision arithmetic; Linux sets it together with "asimdhp", its Advanced SIMD half).
constexpr IsaName kIsaNames[] = {
    {kX86, "sse4_2", "sse4_2"},           {kX86, "avx", "avx"},
    {kX86, "avx2", "avx2"},               {kX86, "fma", "fma"},
    {kX86, "f16c", "f16c"},               {kX86, "avx512f", "avx512f"},
    {kX86, "avx512bw", "avx512bw"},       {kX86, "avx512vl", "avx512vl"},
    {kX86, "avx512dq", "avx512dq"},       {kX86, "avx512_bf16", "avx512_bf16"},
    {kX86, "avx512_fp16", "avx512_fp16"}, {kX86, "avx512_vnni", "avx512_vnni"},
    {kX86, "avx_vnni", "avx_vnni"},       {kX86, "amx_tile", "amx_tile"},
    {kX86, "amx_bf16", "amx_bf16"},       {kX86, "amx_int8", "amx_int8"},
    {kX86, "amx_fp16", "amx_fp16"},
    {kArm, "asimd", "neon"},              {kArm, "neon", "neon"},
    {kArm, "fphp", "fphp"},               {kArm, "asimddp", "asimddp"},
    {kArm, "sve", "sve"},                 {kArm, "sve2", "sve2"},
    {kArm, "i8mm", "i8mm"},               {kArm, "bf16", "bf16"},
    {kArm, "sme", "sme"},
};

}  // namespace

std::vector<std::string> normalise_isa(IsaFamily family, const std::vector<std::string>& raw_features) {
  std::vector<std::string> out;
  for (const IsaName& name : kIsaNames) {
    if (name.family != family) continue;
    const bool present =
        std::find(raw_features.begin(), raw_features.end(), name.raw) != raw_features.end();
    if (present && std::find(out.begin(), out.end(), name.canonical) == out.end())
      out.emplace_back(name.canonical);
  }
  return out;
}

}  // namespace specgap
