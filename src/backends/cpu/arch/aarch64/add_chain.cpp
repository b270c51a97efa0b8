// The core-clock probe's workload on AArch64: a chain of dependent integer adds. Every Arm core in
// cpu-uarch.md (Neoverse N1/V1/V2, Cortex-X925/A725, Apple) retires a register ADD with one cycle of
// latency, so the chain runs at one add per core clock and its length over its time is the clock. The
// addend is a register, not an immediate, as on x86: no renamer can fold a chain of unknown values.
#include "backends/cpu/arch_kernels.h"

namespace specgap::cpu {

bool has_add_chain() { return true; }

uint64_t run_add_chain(uint64_t blocks) {
  uint64_t x = blocks;
  uint64_t one = 1;
  asm volatile("" : "+r"(one));  // hide the value from the compiler
  for (uint64_t i = 0; i < blocks; ++i) {
    // 256 adds, each waiting for the one before; the loop counter runs beside them on other ALUs.
    asm volatile(".rept 256\n\tadd %0, %0, %1\n\t.endr" : "+r"(x) : "r"(one));
  }
  return x;
}

}  // namespace specgap::cpu
