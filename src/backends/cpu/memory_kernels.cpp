#include "backends/cpu/memory_kernels.h"

#include <cstring>

#include "backends/cpu/arch_kernels.h"

namespace specgap::cpu {

extern const MemKernelEntry kMemoryKernelsScalar[];
extern const size_t kMemoryKernelsScalarCount;

namespace {
// libc's memcpy is a copy variant in its own right: glibc picks rep movsb or non-temporal stores by
// size and CPU, and a user's program gets exactly that. It copies c = a like STREAM's copy.
double copy_libc(MemArrays x, size_t begin, size_t end, double) {
  std::memcpy(x.c + begin, x.a + begin, (end - begin) * sizeof(double));
  return 0;
}
}  // namespace

const std::vector<MemOpInfo>& all_mem_ops() {
  // STREAM's byte counting: the arrays named in the formula, 8 bytes each per element; write-allocate
  // traffic of temporal stores is not counted (as in STREAM).
  static const std::vector<MemOpInfo> ops = {
      {MemOp::copy, "copy", "c[i] = a[i]", 1, 1},
      {MemOp::scale, "scale", "b[i] = s*c[i]", 1, 1},
      {MemOp::add, "add", "c[i] = a[i] + b[i]", 2, 1},
      {MemOp::triad, "triad", "a[i] = b[i] + s*c[i]", 2, 1},
      {MemOp::read, "read", "sum += a[i]", 1, 0},
      {MemOp::write, "write", "a[i] = s", 0, 1},
  };
  return ops;
}

const MemOpInfo& mem_op_info(MemOp op) { return all_mem_ops()[static_cast<size_t>(op)]; }

std::vector<MemKernel> memory_kernels() {
  std::vector<MemKernel> out;
  for (size_t i = 0; i < kMemoryKernelsScalarCount; ++i) {
    const auto& e = kMemoryKernelsScalar[i];
    out.push_back({e.op, e.impl, "scalar", e.nontemporal, e.fn});
  }
  out.push_back({MemOp::copy, "libc-memcpy", "libc", false, copy_libc});
  append_arch_memory_kernels(out);
  return out;
}

std::vector<MemKernel> memory_kernels(MemOp op) {
  std::vector<MemKernel> out;
  for (auto& k : memory_kernels())
    if (k.op == op) out.push_back(k);
  return out;
}

double mem_op_reference(MemOp op, const MemArrays& in, size_t i, double s) {
  switch (op) {
    case MemOp::copy: return in.a[i];
    case MemOp::scale: return s * in.c[i];
    case MemOp::add: return in.a[i] + in.b[i];
    case MemOp::triad: return in.b[i] + s * in.c[i];
    case MemOp::read: return in.a[i];
    case MemOp::write: return s;
  }
  return 0;
}

}  // namespace specgap::cpu
