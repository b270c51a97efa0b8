// AArch64: the SIMD kernels, each after a run-time check of arm_features() (AT_HWCAP, AT_HWCAP2 and
// the SVE vector length). Until the kernel files land, the scalar reference kernels are all it runs.
#include "backends/cpu/arch_kernels.h"

namespace specgap::cpu {
void append_arch_memory_kernels(std::vector<MemKernel>&) {}
void append_arch_peak_kernels(std::vector<PeakKernelEntry>&, std::vector<MissingPeakKernel>&) {}
std::vector<MatmulKernel> arch_matmuls(GgmlType) { return {}; }
QuantizeActFn arch_quantize_act(GgmlType) { return nullptr; }
// SDOT multiplies signed weight bytes by signed activation bytes.
WeightCoding arch_weight_coding() { return WeightCoding::signed_bytes; }
std::vector<AttentionKernels> arch_attentions() { return {}; }
bool has_add_chain() { return false; }
uint64_t run_add_chain(uint64_t blocks) { return blocks; }
}  // namespace specgap::cpu
