// AArch64: the SIMD kernels, each after a run-time check of arm_features() (AT_HWCAP, AT_HWCAP2 and
// the SVE vector length).
#include "backends/cpu/arch_kernels.h"

#include "backends/cpu/arch/aarch64/arm_features.h"
#include "backends/cpu/arch/aarch64/arm_llm_kernels.h"

namespace specgap::cpu {
void append_arch_memory_kernels(std::vector<MemKernel>&) {}
void append_arch_peak_kernels(std::vector<PeakKernelEntry>&, std::vector<MissingPeakKernel>&) {}

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

bool has_add_chain() { return false; }
uint64_t run_add_chain(uint64_t blocks) { return blocks; }
}  // namespace specgap::cpu
