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

std::vector<MemKernel> memory_kernels() {
  std::vector<MemKernel> out;
  for (size_t i = 0; i < kMemoryKernelsScalarCount; ++i) {
    const auto& e = kMemoryKernelsScalar[i];
    out.push_back({e.op, e.impl, "scalar", e.nontemporal, e.fn});
  }
  out.push_back({StreamOp::copy, "libc-memcpy", "libc", false, copy_libc});
  append_arch_memory_kernels(out);
  return out;
}

std::vector<MemKernel> memory_kernels(StreamOp op) {
  std::vector<MemKernel> out;
  for (auto& k : memory_kernels())
    if (k.op == op) out.push_back(k);
  return out;
}

double mem_op_reference(StreamOp op, const MemArrays& in, size_t i, double s) {
  switch (op) {
    case StreamOp::copy: return in.a[i];
    case StreamOp::scale: return s * in.c[i];
    case StreamOp::add: return in.a[i] + in.b[i];
    case StreamOp::triad: return in.b[i] + s * in.c[i];
    case StreamOp::read: return in.a[i];
    case StreamOp::write: return s;
  }
  return 0;
}

}  // namespace specgap::cpu
