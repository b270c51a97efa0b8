// An architecture without SIMD kernels yet: the scalar reference memory kernels are all it runs, it
// has no peak kernels, and its clock cannot be measured.
#include "backends/cpu/arch_kernels.h"

namespace specgap::cpu {
void append_arch_memory_kernels(std::vector<MemKernel>&) {}
void append_arch_peak_kernels(std::vector<PeakKernelEntry>&, std::vector<MissingPeakKernel>&) {}
std::vector<MatmulKernel> arch_matmuls(GgmlType) { return {}; }
QuantizeActFn arch_quantize_act(GgmlType) { return nullptr; }
WeightCoding arch_weight_coding() { return WeightCoding::unsigned_bytes; }  // the portable kernel reads either
std::vector<AttentionKernels> arch_attentions() { return {}; }
bool has_add_chain() { return false; }
uint64_t run_add_chain(uint64_t blocks) { return blocks; }
}  // namespace specgap::cpu
