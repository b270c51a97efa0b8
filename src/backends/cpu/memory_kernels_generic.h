#pragma once
// One definition of every memory kernel, written against a small SIMD trait S (load, store, stream,
// set1, add, mul, fmadd, reduce, fence). Each ISA's translation unit instantiates it with its own
// trait, inside an anonymous namespace, so the logic is written once and no ISA-flagged code leaks.
// Only <cstddef> is included on purpose: see arch/x86_64/CMakeLists.txt.
#include <cstddef>

#include "backends/cpu/memory_kernels.h"

namespace specgap::cpu::generic {

// Four vectors per iteration: enough independent work to keep the load/store ports busy, while the
// hardware prefetchers see plain sequential streams.
inline constexpr size_t kUnroll = 4;

template <class S, bool NT>
inline void put(double* p, typename S::V v) {
  if constexpr (NT) S::stream(p, v);
  else S::store(p, v);
}

// The loop every streaming kernel shares: `vec(i)` on kUnroll vectors per iteration, in address
// order, then `one(i)` on the elements left over, then a store fence after non-temporal stores.
template <class S, bool NT, class Vec, class One>
inline void stream_loop(size_t begin, size_t end, Vec vec, One one) {
  constexpr size_t step = S::lanes * kUnroll;
  const size_t vend = begin + (end - begin) / step * step;
  size_t i = begin;
  for (; i < vend; i += step)
    for (size_t u = 0; u < kUnroll; ++u) vec(i + u * S::lanes);
  for (; i < end; ++i) one(i);
  if constexpr (NT) S::fence();
}

template <class S, bool NT>
double copy(MemArrays x, size_t begin, size_t end, double) {
  stream_loop<S, NT>(
      begin, end, [&](size_t k) { put<S, NT>(x.c + k, S::load(x.a + k)); }, [&](size_t k) { x.c[k] = x.a[k]; });
  return 0;
}

template <class S, bool NT>
double scale(MemArrays x, size_t begin, size_t end, double s) {
  const auto vs = S::set1(s);
  stream_loop<S, NT>(
      begin, end, [&](size_t k) { put<S, NT>(x.b + k, S::mul(vs, S::load(x.c + k))); },
      [&](size_t k) { x.b[k] = s * x.c[k]; });
  return 0;
}

template <class S, bool NT>
double add(MemArrays x, size_t begin, size_t end, double) {
  stream_loop<S, NT>(
      begin, end, [&](size_t k) { put<S, NT>(x.c + k, S::add(S::load(x.a + k), S::load(x.b + k))); },
      [&](size_t k) { x.c[k] = x.a[k] + x.b[k]; });
  return 0;
}

template <class S, bool NT>
double triad(MemArrays x, size_t begin, size_t end, double s) {
  const auto vs = S::set1(s);
  stream_loop<S, NT>(
      begin, end, [&](size_t k) { put<S, NT>(x.a + k, S::fmadd(vs, S::load(x.c + k), S::load(x.b + k))); },
      [&](size_t k) { x.a[k] = x.b[k] + s * x.c[k]; });
  return 0;
}

// A reduction over K equal parts of the range at once, each read in address order. Several address
// streams per thread give the hardware prefetchers more to run ahead on: on Zen 5 two streams read
// 10% faster than one, and eight 35% faster when the memory was slow (measured), so the suite runs
// K = 1, 2, 4, 8 and keeps the best. Eight accumulators (two sets of four, alternating between
// streams) cover the add latency far beyond DRAM and L2 speed. Loads must issue in the order written:
// when GCC's scheduler permuted an iteration's loads, AVX-512 reads from DRAM ran at half speed on
// Zen 5 (measured), so kernel files are compiled without instruction scheduling (see CMakeLists).
template <class S, int K>
double read(MemArrays x, size_t begin, size_t end, double) {
  constexpr size_t kAcc = 4;
  constexpr size_t step = S::lanes * kAcc;
  const size_t part = (end - begin) / K / step * step;
  const double* p = x.a + begin;
  typename S::V acc[2 * kAcc];
  for (size_t u = 0; u < 2 * kAcc; ++u) acc[u] = S::zero();
  for (size_t i = 0; i < part; i += step)
    for (int k = 0; k < K; ++k)
      for (size_t u = 0; u < kAcc; ++u) {
        auto& a = acc[(k % 2) * kAcc + u];
        a = S::add(a, S::load(p + k * part + i + u * S::lanes));
      }
  for (size_t u = 1; u < 2 * kAcc; ++u) acc[0] = S::add(acc[0], acc[u]);
  double sum = S::reduce(acc[0]);
  for (size_t i = begin + K * part; i < end; ++i) sum += x.a[i];
  return sum;
}

template <class S, bool NT>
double write(MemArrays x, size_t begin, size_t end, double s) {
  const auto vs = S::set1(s);
  stream_loop<S, NT>(begin, end, [&](size_t k) { put<S, NT>(x.a + k, vs); }, [&](size_t k) { x.a[k] = s; });
  return 0;
}

// The table rows of one ISA: temporal variants named `isa`, non-temporal ones `isa-nt`.
// Reads have no stores, so no -nt variant; -Ks reads K address streams per thread.
#define SPECGAP_MEMORY_KERNEL_TABLE(S, ISA)                                              \
  {StreamOp::copy, ISA, false, generic::copy<S, false>},                                   \
  {StreamOp::copy, ISA "-nt", true, generic::copy<S, true>},                               \
  {StreamOp::scale, ISA, false, generic::scale<S, false>},                                 \
  {StreamOp::scale, ISA "-nt", true, generic::scale<S, true>},                             \
  {StreamOp::add, ISA, false, generic::add<S, false>},                                     \
  {StreamOp::add, ISA "-nt", true, generic::add<S, true>},                                 \
  {StreamOp::triad, ISA, false, generic::triad<S, false>},                                 \
  {StreamOp::triad, ISA "-nt", true, generic::triad<S, true>},                             \
  {StreamOp::read, ISA, false, generic::read<S, 1>},                                       \
  {StreamOp::read, ISA "-2s", false, generic::read<S, 2>},                                 \
  {StreamOp::read, ISA "-4s", false, generic::read<S, 4>},                                 \
  {StreamOp::read, ISA "-8s", false, generic::read<S, 8>},                                 \
  {StreamOp::write, ISA, false, generic::write<S, false>},                                 \
  {StreamOp::write, ISA "-nt", true, generic::write<S, true>}

}  // namespace specgap::cpu::generic
