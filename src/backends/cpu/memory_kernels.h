#pragma once
// The CPU memory kernels: STREAM's copy, scale, add and triad, plus read (a reduction) and write (a
// fill). Each exists in several variants (scalar reference, AVX2, AVX-512; temporal or non-temporal
// stores), all with one signature, so the suite can run, check and time them alike.
#include <cstddef>
#include <string>
#include <vector>

#include "core/stream_ops.h"

namespace specgap::cpu {

// The three STREAM arrays. Kernels touch [begin, end) of each; begin is a multiple of 8 elements
// (64 bytes), so vector variants may use aligned and streaming stores.
struct MemArrays {
  double* a;
  double* b;
  double* c;
};

// Returns the sum for `read` (so the loads cannot be optimised away) and 0 for the other ops.
using MemKernelFn = double (*)(MemArrays arrays, size_t begin, size_t end, double scalar);

// A plain-data table row, so SIMD translation units need no std:: code (see arch CMakeLists).
struct MemKernelEntry {
  StreamOp op;
  const char* impl;  // e.g. "avx512-nt"
  bool nontemporal;
  MemKernelFn fn;
};

struct MemKernel {
  StreamOp op;
  std::string impl;
  std::string isa;  // scalar, avx2, avx512, libc
  bool nontemporal;
  MemKernelFn fn;
};

// Every variant this CPU can run, the scalar reference first.
std::vector<MemKernel> memory_kernels();
// Only those of one op.
std::vector<MemKernel> memory_kernels(StreamOp op);

// The reference result of element i for an op, as the scalar kernel computes it (for checking).
double mem_op_reference(StreamOp op, const MemArrays& in, size_t i, double scalar);

}  // namespace specgap::cpu
