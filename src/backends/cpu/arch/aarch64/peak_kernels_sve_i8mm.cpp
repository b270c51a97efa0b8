// SVE int8 matrix peak kernel (hwcap svei8mm) at the vector length this process runs at: SMMLA adds a
// 2x8 by 8x2 s8 product to each 128-bit segment's 2x2 int32 accumulator, as NEON's: two SDOT groups
// per lane.
#include <arm_sve.h>

#include "backends/cpu/arch/aarch64/memory_peak_tables.h"
#include "backends/cpu/arch/aarch64/sve_peak_loop.h"

namespace specgap::cpu {
namespace {
struct Int8Mmla {
  using V = svint32_t;
  static constexpr int kOpsPer32BitLane = 16;
  static constexpr int kGroupsPerLane = 2;
  static V load(const void* p) { return svld1rq_s32(svptrue_b32(), static_cast<const int32_t*>(p)); }
  static void store(unsigned char* out, int k, V v) { svst1_vnum_s32(svptrue_b32(), reinterpret_cast<int32_t*>(out), k, v); }
  static V op(V acc, V a, V b) { return svmmla_s32(acc, svreinterpret_s8_s32(a), svreinterpret_s8_s32(b)); }
};
}  // namespace

const PeakKernelEntry kPeakKernelsSveI8mm[] = {
    SPECGAP_SVE_PEAK_KERNEL(Int8Mmla, kArmPeakAccumulators, Dtype::int8, "sve-smmla", "smmla z.s"),
};
const size_t kPeakKernelsSveI8mmCount = sizeof kPeakKernelsSveI8mm / sizeof kPeakKernelsSveI8mm[0];

}  // namespace specgap::cpu
