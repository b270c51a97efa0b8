#pragma once
// The CPU memory kernels: STREAM's copy, scale, add and triad, plus read (a reduction) and write (a
// fill). Each exists in several variants (scalar reference, AVX2, AVX-512; temporal or non-temporal
// stores), all with one signature, so the suite can run, check and time them alike.
#include <cstddef>
#include <string>
#include <vector>

namespace specgap::cpu {

enum class MemOp { copy, scale, add, triad, read, write };

// What each kernel does, as data: the arrays it reads and writes decide the bytes STREAM counts.
struct MemOpInfo {
  MemOp op;
  const char* name;
  const char* formula;
  int arrays_read;
  int arrays_written;
};
const MemOpInfo& mem_op_info(MemOp op);
const std::vector<MemOpInfo>& all_mem_ops();

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
  MemOp op;
  const char* impl;  // e.g. "avx512-nt"
  bool nontemporal;
  MemKernelFn fn;
};

struct MemKernel {
  MemOp op;
  std::string impl;
  std::string isa;  // scalar, avx2, avx512, libc
  bool nontemporal;
  MemKernelFn fn;
};

// Every variant this CPU can run, the scalar reference first.
std::vector<MemKernel> memory_kernels();
// Only those of one op.
std::vector<MemKernel> memory_kernels(MemOp op);

// The reference result of element i for an op, as the scalar kernel computes it (for checking).
double mem_op_reference(MemOp op, const MemArrays& in, size_t i, double scalar);

}  // namespace specgap::cpu
