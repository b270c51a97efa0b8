// SVE memory kernels, written once for every vector length (128 to 2048 bits, read at run time with
// svcntd). They follow the generic kernels (memory_kernels_generic.h: kUnroll vectors per iteration in
// address order, K-stream reads on eight accumulators), which cannot take SVE's types: those have no
// size known at compile time, so no constexpr lane count and no arrays of accumulators. Whatever is
// left after the whole blocks runs one vector at a time under a WHILELT predicate, so no scalar tail.
// Non-temporal variants store with STNT1D, SVE's non-temporal hint.
#include <arm_sve.h>

#include "backends/cpu/arch/aarch64/memory_peak_tables.h"
#include "backends/cpu/memory_kernels_generic.h"

namespace specgap::cpu {
namespace {

template <bool NT>
inline void put(svbool_t pg, double* p, svfloat64_t v) {
  if constexpr (NT) svstnt1_f64(pg, p, v);
  else svst1_f64(pg, p, v);
}

// `vec(pg, i)` on generic::kUnroll vectors per iteration under an all-true predicate, then on the rest
// one vector at a time under a predicate that stops at `end`. No fence after STNT1D: as for NEON's
// STNP, only loads that depend on an earlier load's address are relaxed for non-temporal accesses.
template <class Vec>
inline void sve_stream_loop(size_t begin, size_t end, Vec vec) {
  const size_t lanes = svcntd();
  const size_t step = lanes * generic::kUnroll;
  const svbool_t all = svptrue_b64();
  size_t i = begin;
  for (; i + step <= end; i += step)
    for (size_t u = 0; u < generic::kUnroll; ++u) vec(all, i + u * lanes);
  for (; i < end; i += lanes) vec(svwhilelt_b64(i, end), i);
}

template <bool NT>
double copy(MemArrays x, size_t begin, size_t end, double) {
  sve_stream_loop(begin, end, [&](svbool_t pg, size_t k) { put<NT>(pg, x.c + k, svld1_f64(pg, x.a + k)); });
  return 0;
}

template <bool NT>
double scale(MemArrays x, size_t begin, size_t end, double s) {
  sve_stream_loop(begin, end, [&](svbool_t pg, size_t k) {
    put<NT>(pg, x.b + k, svmul_n_f64_x(pg, svld1_f64(pg, x.c + k), s));
  });
  return 0;
}

template <bool NT>
double add(MemArrays x, size_t begin, size_t end, double) {
  sve_stream_loop(begin, end, [&](svbool_t pg, size_t k) {
    put<NT>(pg, x.c + k, svadd_f64_x(pg, svld1_f64(pg, x.a + k), svld1_f64(pg, x.b + k)));
  });
  return 0;
}

template <bool NT>
double triad(MemArrays x, size_t begin, size_t end, double s) {
  sve_stream_loop(begin, end, [&](svbool_t pg, size_t k) {
    put<NT>(pg, x.a + k, svmla_n_f64_x(pg, svld1_f64(pg, x.b + k), svld1_f64(pg, x.c + k), s));
  });
  return 0;
}

template <bool NT>
double write(MemArrays x, size_t begin, size_t end, double s) {
  sve_stream_loop(begin, end, [&](svbool_t pg, size_t k) { put<NT>(pg, x.a + k, svdup_n_f64(s)); });
  return 0;
}

// generic::read with named accumulators: K equal parts of the range read side by side, each in
// address order, four vectors per part per iteration into one of two sets of four accumulators
// (alternating between parts); then the rest under a WHILELT predicate.
template <int K>
double read(MemArrays x, size_t begin, size_t end, double) {
  const size_t lanes = svcntd();
  const size_t step = lanes * 4;
  const size_t part = (end - begin) / K / step * step;
  const double* p = x.a + begin;
  const svbool_t all = svptrue_b64();
  svfloat64_t e0 = svdup_n_f64(0), e1 = e0, e2 = e0, e3 = e0;  // even parts
  svfloat64_t o0 = e0, o1 = e0, o2 = e0, o3 = e0;              // odd parts
  for (size_t i = 0; i < part; i += step) {
#pragma GCC unroll 8
    for (int k = 0; k < K; ++k) {
      const double* q = p + k * part + i;
      if (k % 2 == 0) {
        e0 = svadd_f64_x(all, e0, svld1_vnum_f64(all, q, 0));
        e1 = svadd_f64_x(all, e1, svld1_vnum_f64(all, q, 1));
        e2 = svadd_f64_x(all, e2, svld1_vnum_f64(all, q, 2));
        e3 = svadd_f64_x(all, e3, svld1_vnum_f64(all, q, 3));
      } else {
        o0 = svadd_f64_x(all, o0, svld1_vnum_f64(all, q, 0));
        o1 = svadd_f64_x(all, o1, svld1_vnum_f64(all, q, 1));
        o2 = svadd_f64_x(all, o2, svld1_vnum_f64(all, q, 2));
        o3 = svadd_f64_x(all, o3, svld1_vnum_f64(all, q, 3));
      }
    }
  }
  for (size_t i = begin + K * part; i < end; i += lanes) {
    const svbool_t pg = svwhilelt_b64(i, end);
    e0 = svadd_f64_m(pg, e0, svld1_f64(pg, x.a + i));  // inactive lanes keep e0's value
  }
  const svfloat64_t even = svadd_f64_x(all, svadd_f64_x(all, e0, e1), svadd_f64_x(all, e2, e3));
  const svfloat64_t odd = svadd_f64_x(all, svadd_f64_x(all, o0, o1), svadd_f64_x(all, o2, o3));
  return svaddv_f64(all, svadd_f64_x(all, even, odd));
}

}  // namespace

// The rows of generic's SPECGAP_MEMORY_KERNEL_TABLE, with this file's kernels.
const MemKernelEntry kMemoryKernelsSve[] = {
    {StreamOp::copy, "sve", false, copy<false>},     {StreamOp::copy, "sve-nt", true, copy<true>},
    {StreamOp::scale, "sve", false, scale<false>},   {StreamOp::scale, "sve-nt", true, scale<true>},
    {StreamOp::add, "sve", false, add<false>},       {StreamOp::add, "sve-nt", true, add<true>},
    {StreamOp::triad, "sve", false, triad<false>},   {StreamOp::triad, "sve-nt", true, triad<true>},
    {StreamOp::read, "sve", false, read<1>},         {StreamOp::read, "sve-2s", false, read<2>},
    {StreamOp::read, "sve-4s", false, read<4>},      {StreamOp::read, "sve-8s", false, read<8>},
    {StreamOp::write, "sve", false, write<false>},   {StreamOp::write, "sve-nt", true, write<true>},
};
const size_t kMemoryKernelsSveCount = sizeof kMemoryKernelsSve / sizeof kMemoryKernelsSve[0];

}  // namespace specgap::cpu
