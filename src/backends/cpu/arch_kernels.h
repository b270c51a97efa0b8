#pragma once
// The seam between portable code and an architecture's kernels: each arch/<processor>/ folder
// implements this once, checking at run time which of its ISA variants this CPU and OS support.
#include <cstdint>
#include <string>
#include <vector>

#include "backends/cpu/attention_kernels.h"
#include "backends/cpu/memory_kernels.h"
#include "backends/cpu/peak_kernels.h"
#include "backends/cpu/quant_matmul.h"

namespace specgap::cpu {

// Appends the SIMD memory kernels this CPU can run, narrowest ISA first.
void append_arch_memory_kernels(std::vector<MemKernel>& out);

// Appends the peak kernels this CPU can run, and those it cannot with the reason.
void append_arch_peak_kernels(std::vector<PeakKernelEntry>& available, std::vector<MissingPeakKernel>& missing);

// The SIMD matmul kernels for weight type t this CPU runs, fastest first, each naming its ISA.
std::vector<MatmulKernel> arch_matmuls(GgmlType t);
// The SIMD activation quantiser for weight type t; nullptr where none applies.
QuantizeActFn arch_quantize_act(GgmlType t);
// (arch_weight_coding, the packed weights' coding these kernels read, is declared in quant_matmul.h.)

// The SIMD attention kernels this CPU runs, fastest first.
std::vector<AttentionKernels> arch_attentions();

// The clock probe: `blocks` x 256 dependent one-cycle integer adds (returns their result, so they
// cannot be dropped). has_add_chain() is false where no such chain is written for the architecture.
bool has_add_chain();
uint64_t run_add_chain(uint64_t blocks);

}  // namespace specgap::cpu
