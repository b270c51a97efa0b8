// NEON memory kernels: the generic kernels on pairs of 128-bit vectors (32 bytes), the unit that
// STNP, AArch64's only non-temporal vector store, writes; reads on single vectors (see the table).
// NEON is part of every AArch64 core.
#include <arm_neon.h>

#include "backends/cpu/arch/aarch64/memory_peak_tables.h"
#include "backends/cpu/memory_kernels_generic.h"

namespace specgap::cpu {
namespace {
// Two q registers. Not ACLE's float64x2x2_t: its LD1/ST1 forms need consecutive registers and take no
// offset, which cost moves and address adds in every loop; a plain pair loads with LDP.
struct Q2 {
  float64x2_t lo, hi;
};

struct NeonPair {
  using V = Q2;
  static constexpr size_t lanes = 4;
  static V load(const double* p) { return {vld1q_f64(p), vld1q_f64(p + 2)}; }
  static void store(double* p, V v) {
    vst1q_f64(p, v.lo);
    vst1q_f64(p + 2, v.hi);
  }
  // STNP hints that the line will not be read again soon, so the core may write it around its caches.
  // ACLE has no intrinsic for it. "Ump" lets the compiler use a pair instruction's offset; the second
  // output tells it the upper 16 bytes are written too.
  static void stream(double* p, V v) {
    asm volatile("stnp %q2, %q3, %0"
                 : "=Ump"(*reinterpret_cast<float64x2_t*>(p)), "=m"(*reinterpret_cast<float64x2_t*>(p + 2))
                 : "w"(v.lo), "w"(v.hi));
  }
  static V set1(double s) { return {vdupq_n_f64(s), vdupq_n_f64(s)}; }
  static V zero() { return set1(0); }
  static V add(V a, V b) { return {vaddq_f64(a.lo, b.lo), vaddq_f64(a.hi, b.hi)}; }
  static V mul(V a, V b) { return {vmulq_f64(a.lo, b.lo), vmulq_f64(a.hi, b.hi)}; }
  static V fmadd(V a, V b, V c) { return {vfmaq_f64(c.lo, a.lo, b.lo), vfmaq_f64(c.hi, a.hi, b.hi)}; }
  static double reduce(V v) { return vaddvq_f64(vaddq_f64(v.lo, v.hi)); }
  // No barrier: the Arm ARM relaxes the ordering of non-temporal pairs only for loads that depend on
  // an earlier load's address, so STNP stores are ordered like any other by the release that ends
  // a team's work (x86 needs SFENCE because its streaming stores are weakly ordered).
  static void fence() {}
};

// One q register, for reads: generic::read keeps 8 accumulators of V, and for 8 streams GCC unrolls
// its 8 x 4 loads only if each is one instruction; on pairs it kept the accumulators on the stack.
struct NeonQ {
  using V = float64x2_t;
  static constexpr size_t lanes = 2;
  static V load(const double* p) { return vld1q_f64(p); }
  static V zero() { return vdupq_n_f64(0); }
  static V add(V a, V b) { return vaddq_f64(a, b); }
  static double reduce(V v) { return vaddvq_f64(v); }
};
}  // namespace

// SPECGAP_MEMORY_KERNEL_TABLE's rows, with reads on NeonQ.
const MemKernelEntry kMemoryKernelsNeon[] = {
    {StreamOp::copy, "neon", false, generic::copy<NeonPair, false>},
    {StreamOp::copy, "neon-nt", true, generic::copy<NeonPair, true>},
    {StreamOp::scale, "neon", false, generic::scale<NeonPair, false>},
    {StreamOp::scale, "neon-nt", true, generic::scale<NeonPair, true>},
    {StreamOp::add, "neon", false, generic::add<NeonPair, false>},
    {StreamOp::add, "neon-nt", true, generic::add<NeonPair, true>},
    {StreamOp::triad, "neon", false, generic::triad<NeonPair, false>},
    {StreamOp::triad, "neon-nt", true, generic::triad<NeonPair, true>},
    {StreamOp::read, "neon", false, generic::read<NeonQ, 1>},
    {StreamOp::read, "neon-2s", false, generic::read<NeonQ, 2>},
    {StreamOp::read, "neon-4s", false, generic::read<NeonQ, 4>},
    {StreamOp::read, "neon-8s", false, generic::read<NeonQ, 8>},
    {StreamOp::write, "neon", false, generic::write<NeonPair, false>},
    {StreamOp::write, "neon-nt", true, generic::write<NeonPair, true>},
};
const size_t kMemoryKernelsNeonCount = sizeof kMemoryKernelsNeon / sizeof kMemoryKernelsNeon[0];

}  // namespace specgap::cpu
