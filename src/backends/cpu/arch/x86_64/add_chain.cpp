// The core-clock probe's workload: a chain of dependent integer adds. Every x86-64 core we know
// retires a register add with a latency of exactly one cycle, so the chain runs at one add per core
// clock whatever the width of the machine, and its length over its time is the clock. The addend is
// a register, not an immediate, so no renamer can fold the chain (some fold small immediate adds).
#include "backends/cpu/arch_kernels.h"

namespace specgap::cpu {

bool has_add_chain() { return true; }

uint64_t run_add_chain(uint64_t blocks) {
  uint64_t x = blocks;
  uint64_t one = 1;
  asm volatile("" : "+r"(one));  // hide the value from the compiler
  for (uint64_t i = 0; i < blocks; ++i) {
    // 256 adds, each waiting for the one before; the loop counter runs beside them on other ALUs.
    asm volatile(".rept 256\n\taddq %1, %0\n\t.endr" : "+r"(x) : "r"(one));
  }
  return x;
}

}  // namespace specgap::cpu
