// AArch64: the SIMD kernels, each after a run-time check of arm_features() (AT_HWCAP, AT_HWCAP2 and
// the SVE vector length), so a kernel is never offered where its instructions would fault.
#include "backends/cpu/arch_kernels.h"

#include <string>

#include "backends/cpu/arch/aarch64/arm_features.h"
#include "backends/cpu/arch/aarch64/arm_llm_kernels.h"
#include "backends/cpu/arch/aarch64/memory_peak_tables.h"

namespace specgap::cpu {
namespace {
void append_table(std::vector<MemKernel>& out, const MemKernelEntry* table, size_t count, const char* isa) {
  for (size_t i = 0; i < count; ++i)
    out.push_back({table[i].op, table[i].impl, isa, table[i].nontemporal, table[i].fn});
}

// An SVE row (written for 128 bits) at this process's vector length, a multiple of 128 bits: each
// 128-bit segment does the row's work.
PeakKernelEntry at_vector_length(PeakKernelEntry k, int vector_bits) {
  k.ops_per_instruction *= vector_bits / 128;
  k.vector_bits = vector_bits;
  return k;
}

// One extension's peak kernels: all available when the CPU has it, else all missing with `reason`.
// `vector_bits` > 0 scales SVE rows to the vector length.
void offer(bool supported, const PeakKernelEntry* table, size_t count, const std::string& reason,
           std::vector<PeakKernelEntry>& available, std::vector<MissingPeakKernel>& missing, int vector_bits = 0) {
  for (size_t i = 0; i < count; ++i) {
    if (!supported) missing.push_back({table[i].dtype, table[i].impl, reason});
    else available.push_back(vector_bits > 0 ? at_vector_length(table[i], vector_bits) : table[i]);
  }
}
}  // namespace

void append_arch_memory_kernels(std::vector<MemKernel>& out) {
  const ArmFeatures& f = arm_features();
  if (f.asimd) append_table(out, kMemoryKernelsNeon, kMemoryKernelsNeonCount, "neon");
  if (f.sve) append_table(out, kMemoryKernelsSve, kMemoryKernelsSveCount, "sve");
}

void append_arch_peak_kernels(std::vector<PeakKernelEntry>& available, std::vector<MissingPeakKernel>& missing) {
  const ArmFeatures& f = arm_features();
  offer(f.asimd, kPeakKernelsNeon, kPeakKernelsNeonCount, "no Advanced SIMD (NEON) on this CPU", available, missing);
  offer(f.fphp, kPeakKernelsNeonFp16, kPeakKernelsNeonFp16Count,
        "no FEAT_FP16 on this CPU (fphp, asimdhp): no native fp16 arithmetic", available, missing);
  offer(f.dotprod, kPeakKernelsNeonDotprod, kPeakKernelsNeonDotprodCount,
        "no dot product (asimddp) on this CPU: no int8 dot product", available, missing);
  offer(f.i8mm, kPeakKernelsNeonI8mm, kPeakKernelsNeonI8mmCount, "no I8MM on this CPU: no int8 matrix multiply",
        available, missing);
  offer(f.bf16, kPeakKernelsNeonBf16, kPeakKernelsNeonBf16Count,
        "no BF16 on this CPU: no bf16 dot product or matrix multiply", available, missing);
  const int bits = f.sve_vector_bits;
  offer(f.sve, kPeakKernelsSve, kPeakKernelsSveCount, "no SVE on this CPU", available, missing, bits);
  offer(f.sve_i8mm, kPeakKernelsSveI8mm, kPeakKernelsSveI8mmCount,
        f.sve ? "no SVE I8MM (svei8mm) on this CPU: no SVE int8 matrix multiply" : "no SVE on this CPU", available,
        missing, bits);
  offer(f.sve_bf16, kPeakKernelsSveBf16, kPeakKernelsSveBf16Count,
        f.sve ? "no SVE BF16 (svebf16) on this CPU: no SVE bf16 dot product or matrix multiply" : "no SVE on this CPU",
        available, missing, bits);
}

std::vector<MatmulKernel> arch_matmuls(GgmlType t) {
  const ArmFeatures& f = arm_features();
  std::vector<MatmulKernel> out;
  // SVE first only where its vectors are wider than NEON's 128 bits: one SDOT then adds a step to 8
  // or 16 rows against NEON's 4. At 128 bits it is the same work at the same width, and NEON's kernel
  // keeps more sums in flight (SVE's tuples hold 4), so there SVE is offered after the NEON kernels.
  const bool sve_wider = f.sve && f.sve_vector_bits > 128;
  MatmulFn sve = f.sve ? matmul_sve(t) : nullptr;
  if (sve && sve_wider) out.push_back({sve, "sve"});
  if (f.dotprod)
    if (MatmulFn fn = matmul_neon_dotprod(t)) out.push_back({fn, "neon-dotprod"});
  // SMMLA after SDOT: on the shared layout its ZIPs cost back what it saves (quant_matmul_i8mm.cpp),
  // so it is offered for measurement (llm --kernels neon-i8mm), not chosen. The set runs SDOT's
  // kernel for the types SMMLA has none for, so that choosing it runs every type on SIMD.
  if (f.i8mm && f.dotprod) {
    MatmulFn fn = matmul_neon_i8mm(t);
    if (!fn) fn = matmul_neon_dotprod(t);
    if (fn) out.push_back({fn, "neon-i8mm"});
  }
  if (sve && !sve_wider) out.push_back({sve, "sve"});
  return out;
}

// SDOT multiplies signed weight bytes by signed activation bytes.
WeightCoding arch_weight_coding() { return WeightCoding::signed_bytes; }

QuantizeActFn arch_quantize_act(GgmlType t) { return arm_features().asimd ? quantize_act_neon(t) : nullptr; }

std::vector<AttentionKernels> arch_attentions() {
  std::vector<AttentionKernels> out;
  if (arm_features().asimd) out.push_back(attention_neon());
  return out;
}
}  // namespace specgap::cpu
