// x86-64: the SIMD kernels, each after a run-time check. __builtin_cpu_supports consults CPUID and
// XGETBV (OS-enabled register state), so a kernel is never called where it would fault.
#include "backends/cpu/arch_kernels.h"

#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "backends/cpu/arch/x86_64/x86_tables.h"

namespace specgap::cpu {
namespace {
void append_table(std::vector<MemKernel>& out, const MemKernelEntry* table, size_t count, const char* isa) {
  for (size_t i = 0; i < count; ++i)
    out.push_back({table[i].op, table[i].impl, isa, table[i].nontemporal, table[i].fn});
}

// Linux gives a process AMX tile state only when asked (arch_prctl ARCH_REQ_XCOMP_PERM, kernel 5.16
// and later): before that, the first tile instruction faults. "" when granted, else why not.
std::string amx_refusal() {
  constexpr int kArchReqXcompPerm = 0x1023;  // arch/x86/include/uapi/asm/prctl.h
  constexpr int kXfeatureXtiledata = 18;     // the XSAVE component of the tile registers
  if (!__builtin_cpu_supports("amx-tile")) return "no AMX on this CPU";
  static const std::string refusal = [] {
    if (syscall(SYS_arch_prctl, kArchReqXcompPerm, kXfeatureXtiledata) == 0) return std::string();
    return std::string("the kernel did not grant AMX tile state (arch_prctl ARCH_REQ_XCOMP_PERM: ") +
           std::strerror(errno) + ")";
  }();
  return refusal;
}

// One ISA's peak kernels: all available when the CPU has the feature, else all missing with `reason`.
void offer(bool supported, const PeakKernelEntry* table, size_t count, const std::string& reason,
           std::vector<PeakKernelEntry>& available, std::vector<MissingPeakKernel>& missing) {
  for (size_t i = 0; i < count; ++i) {
    if (supported) available.push_back(table[i]);
    else missing.push_back({table[i].dtype, table[i].impl, reason});
  }
}
}  // namespace

void append_arch_memory_kernels(std::vector<MemKernel>& out) {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
    append_table(out, kMemoryKernelsAvx2, kMemoryKernelsAvx2Count, "avx2");
  if (__builtin_cpu_supports("avx512f"))
    append_table(out, kMemoryKernelsAvx512, kMemoryKernelsAvx512Count, "avx512");
}

void append_arch_peak_kernels(std::vector<PeakKernelEntry>& available, std::vector<MissingPeakKernel>& missing) {
  __builtin_cpu_init();
  const bool avx512 = __builtin_cpu_supports("avx512f");
  offer(__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"), kPeakKernelsAvx2, kPeakKernelsAvx2Count,
        "no AVX2/FMA on this CPU", available, missing);
  offer(avx512, kPeakKernelsAvx512, kPeakKernelsAvx512Count, "no AVX-512 on this CPU", available, missing);
  offer(__builtin_cpu_supports("avxvnni"), kPeakKernelsAvxVnni, kPeakKernelsAvxVnniCount,
        "no AVX-VNNI on this CPU", available, missing);
  offer(avx512 && __builtin_cpu_supports("avx512vnni"), kPeakKernelsAvx512Vnni, kPeakKernelsAvx512VnniCount,
        "no AVX512_VNNI on this CPU", available, missing);
  offer(avx512 && __builtin_cpu_supports("avx512bf16"), kPeakKernelsAvx512Bf16, kPeakKernelsAvx512Bf16Count,
        "no AVX512_BF16 on this CPU: no bf16 dot-product instruction", available, missing);
  offer(avx512 && __builtin_cpu_supports("avx512fp16"), kPeakKernelsAvx512Fp16, kPeakKernelsAvx512Fp16Count,
        "no AVX512_FP16 on this CPU: no native fp16 arithmetic (F16C only converts)", available, missing);
  const std::string amx = amx_refusal();
  offer(amx.empty() && __builtin_cpu_supports("amx-bf16"), kPeakKernelsAmxBf16, kPeakKernelsAmxBf16Count,
        amx.empty() ? "no AMX-BF16 on this CPU" : amx, available, missing);
  offer(amx.empty() && __builtin_cpu_supports("amx-int8"), kPeakKernelsAmxInt8, kPeakKernelsAmxInt8Count,
        amx.empty() ? "no AMX-INT8 on this CPU" : amx, available, missing);
}

// vpdpbusd multiplies unsigned weight bytes by signed activation bytes.
WeightCoding arch_weight_coding() { return WeightCoding::unsigned_bytes; }

QuantizeActFn arch_quantize_act(GgmlType t) {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")) return quantize_act_avx512(t);
  return nullptr;
}

std::vector<AttentionKernels> arch_attentions() {
  __builtin_cpu_init();
  std::vector<AttentionKernels> out;
  if (__builtin_cpu_supports("avx512f")) out.push_back(attention_avx512());
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c"))
    out.push_back(attention_avx2());
  return out;
}

std::vector<MatmulKernel> arch_matmuls(GgmlType t) {
  __builtin_cpu_init();
  std::vector<MatmulKernel> out;
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx512vnni"))
    if (MatmulFn fn = matmul_avx512vnni(t)) out.push_back({fn, "avx512-vnni"});
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c"))
    if (MatmulFn fn = matmul_avx2(t)) out.push_back({fn, "avx2"});
  return out;
}

}  // namespace specgap::cpu
