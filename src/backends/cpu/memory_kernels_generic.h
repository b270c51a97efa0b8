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

template <class S>
inline size_t vector_end(size_t begin, size_t end) {
  constexpr size_t step = S::lanes * kUnroll;
  return begin + (end - begin) / step * step;
}

template <class S, bool NT>
double copy(MemArrays x, size_t begin, size_t end, double) {
  const size_t vend = vector_end<S>(begin, end);
  size_t i = begin;
  for (; i < vend; i += S::lanes * kUnroll)
    for (size_t u = 0; u < kUnroll; ++u) put<S, NT>(x.c + i + u * S::lanes, S::load(x.a + i + u * S::lanes));
  for (; i < end; ++i) x.c[i] = x.a[i];
  if constexpr (NT) S::fence();
  return 0;
}

template <class S, bool NT>
double scale(MemArrays x, size_t begin, size_t end, double s) {
  const auto vs = S::set1(s);
  const size_t vend = vector_end<S>(begin, end);
  size_t i = begin;
  for (; i < vend; i += S::lanes * kUnroll)
    for (size_t u = 0; u < kUnroll; ++u)
      put<S, NT>(x.b + i + u * S::lanes, S::mul(vs, S::load(x.c + i + u * S::lanes)));
  for (; i < end; ++i) x.b[i] = s * x.c[i];
  if constexpr (NT) S::fence();
  return 0;
}

template <class S, bool NT>
double add(MemArrays x, size_t begin, size_t end, double) {
  const size_t vend = vector_end<S>(begin, end);
  size_t i = begin;
  for (; i < vend; i += S::lanes * kUnroll)
    for (size_t u = 0; u < kUnroll; ++u) {
      const size_t k = i + u * S::lanes;
      put<S, NT>(x.c + k, S::add(S::load(x.a + k), S::load(x.b + k)));
    }
  for (; i < end; ++i) x.c[i] = x.a[i] + x.b[i];
  if constexpr (NT) S::fence();
  return 0;
}

template <class S, bool NT>
double triad(MemArrays x, size_t begin, size_t end, double s) {
  const auto vs = S::set1(s);
  const size_t vend = vector_end<S>(begin, end);
  size_t i = begin;
  for (; i < vend; i += S::lanes * kUnroll)
    for (size_t u = 0; u < kUnroll; ++u) {
      const size_t k = i + u * S::lanes;
      put<S, NT>(x.a + k, S::fmadd(vs, S::load(x.c + k), S::load(x.b + k)));
    }
  for (; i < end; ++i) x.a[i] = x.b[i] + s * x.c[i];
  if constexpr (NT) S::fence();
  return 0;
}

// Eight independent accumulators cover the add latency at two loads per cycle, so the reduction is
// limited by the memory system, not by the dependency chain.
template <class S>
double read(MemArrays x, size_t begin, size_t end, double) {
  constexpr size_t kAcc = 4;
  constexpr size_t step = S::lanes * kAcc;
  typename S::V acc[kAcc];
  for (size_t u = 0; u < kAcc; ++u) acc[u] = S::zero();
  const size_t vend = begin + (end - begin) / step * step;
  size_t i = begin;
  for (; i < vend; i += step)
    for (size_t u = 0; u < kAcc; ++u) acc[u] = S::add(acc[u], S::load(x.a + i + u * S::lanes));
  for (size_t u = 1; u < kAcc; ++u) acc[0] = S::add(acc[0], acc[u]);
  double sum = S::reduce(acc[0]);
  for (; i < end; ++i) sum += x.a[i];
  return sum;
}

template <class S, bool NT>
double write(MemArrays x, size_t begin, size_t end, double s) {
  const auto vs = S::set1(s);
  const size_t vend = vector_end<S>(begin, end);
  size_t i = begin;
  for (; i < vend; i += S::lanes * kUnroll)
    for (size_t u = 0; u < kUnroll; ++u) put<S, NT>(x.a + i + u * S::lanes, vs);
  for (; i < end; ++i) x.a[i] = s;
  if constexpr (NT) S::fence();
  return 0;
}

// The table rows of one ISA: temporal variants named `isa`, non-temporal ones `isa-nt`.
// Reads have no stores, so they have no -nt variant.
#define SPECGAP_MEMORY_KERNEL_TABLE(S, ISA)                                              \
  {MemOp::copy, ISA, false, generic::copy<S, false>},                                   \
  {MemOp::copy, ISA "-nt", true, generic::copy<S, true>},                               \
  {MemOp::scale, ISA, false, generic::scale<S, false>},                                 \
  {MemOp::scale, ISA "-nt", true, generic::scale<S, true>},                             \
  {MemOp::add, ISA, false, generic::add<S, false>},                                     \
  {MemOp::add, ISA "-nt", true, generic::add<S, true>},                                 \
  {MemOp::triad, ISA, false, generic::triad<S, false>},                                 \
  {MemOp::triad, ISA "-nt", true, generic::triad<S, true>},                             \
  {MemOp::read, ISA, false, generic::read<S>},                                          \
  {MemOp::write, ISA, false, generic::write<S, false>},                                 \
  {MemOp::write, ISA "-nt", true, generic::write<S, true>}

}  // namespace specgap::cpu::generic
