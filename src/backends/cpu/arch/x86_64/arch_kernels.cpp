// x86-64: AVX2 and AVX-512 variants, each after a run-time check. __builtin_cpu_supports consults
// CPUID and XGETBV (OS-enabled register state), so a kernel is never called where it would fault.
#include "backends/cpu/arch_kernels.h"

#include "backends/cpu/arch/x86_64/x86_tables.h"

namespace specgap::cpu {
namespace {
void append_table(std::vector<MemKernel>& out, const MemKernelEntry* table, size_t count, const char* isa) {
  for (size_t i = 0; i < count; ++i)
    out.push_back({table[i].op, table[i].impl, isa, table[i].nontemporal, table[i].fn});
}
}  // namespace

void append_arch_memory_kernels(std::vector<MemKernel>& out) {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
    append_table(out, kMemoryKernelsAvx2, kMemoryKernelsAvx2Count, "avx2");
  if (__builtin_cpu_supports("avx512f"))
    append_table(out, kMemoryKernelsAvx512, kMemoryKernelsAvx512Count, "avx512");
}

}  // namespace specgap::cpu
