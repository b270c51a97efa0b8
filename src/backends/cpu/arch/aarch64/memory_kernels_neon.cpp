// NEON memory kernels: the generic kernels on pairs of 128-bit vectors (32 bytes), the unit that
// STNP, AArch64's only non-temporal vector store, writes. NEON is part of every AArch64 core.
#include <arm_neon.h>

#include "backends/cpu/arch/aarch64/memory_peak_tables.h"
#include "backends/cpu/memory_kernels_generic.h"

namespace specgap::cpu {
namespace {
struct NeonPair {
  using V = float64x2x2_t;
  static constexpr size_t lanes = 4;
  static V load(const double* p) { return vld1q_f64_x2(p); }
  static void store(double* p, V v) { vst1q_f64_x2(p, v); }
  // STNP hints that the line will not be read again soon, so the core may write it around its caches.
  // ACLE has no intrinsic for it; the "Q" operand is the 32 bytes it writes, addressed by a register.
  static void stream(double* p, V v) {
    asm volatile("stnp %q1, %q2, %0" : "=Q"(*reinterpret_cast<double(*)[4]>(p)) : "w"(v.val[0]), "w"(v.val[1]));
  }
  static V set1(double s) { return {{vdupq_n_f64(s), vdupq_n_f64(s)}}; }
  static V zero() { return set1(0); }
  static V add(V a, V b) { return {{vaddq_f64(a.val[0], b.val[0]), vaddq_f64(a.val[1], b.val[1])}}; }
  static V mul(V a, V b) { return {{vmulq_f64(a.val[0], b.val[0]), vmulq_f64(a.val[1], b.val[1])}}; }
  static V fmadd(V a, V b, V c) {
    return {{vfmaq_f64(c.val[0], a.val[0], b.val[0]), vfmaq_f64(c.val[1], a.val[1], b.val[1])}};
  }
  static double reduce(V v) { return vaddvq_f64(vaddq_f64(v.val[0], v.val[1])); }
  // No barrier: the Arm ARM relaxes the ordering of non-temporal pairs only for loads that depend on
  // an earlier load's address, so STNP stores are ordered like any other by the release that ends
  // a team's work (x86 needs SFENCE because its streaming stores are weakly ordered).
  static void fence() {}
};
}  // namespace

const MemKernelEntry kMemoryKernelsNeon[] = {SPECGAP_MEMORY_KERNEL_TABLE(NeonPair, "neon")};
const size_t kMemoryKernelsNeonCount = sizeof kMemoryKernelsNeon / sizeof kMemoryKernelsNeon[0];

}  // namespace specgap::cpu
