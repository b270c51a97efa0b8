#include "backends/cpu/arch/x86_64/x86_prefetch.h"

#include <cpuid.h>

#include <cstring>

namespace specgap::cpu {

// Measured per core, decode of the 1B presets (tg64, two cores, runs alternated, each against the
// read kernel of its own run):
// - Zen 5 (AVX-512, one stream per core then): 2 KiB ahead 75-78 tokens/s, none 65.
// - Zen 3 (AVX2): 1 KiB ahead helped Q4_0 and Q8_0; the K-quants' slices doubled Q6_K's rate.
// - Zen 4 (EPYC 9004, KVM): every prefetch removed, AVX-512 Q4_0 went from 0.78-0.79 of the read
//   bandwidth to 0.83-0.85 in the host's fast mode (62-64 GB/s), Q8_0 0.80-0.82 to 0.84-0.87, MXFP4
//   0.80 to 0.86; AVX2 Q4_0 42-48 GB/s to 47-50; the Q6_K matrix alone (decode_bench PerRead) 0.71
//   to 0.89-0.93. Its L2 prefetchers keep up by themselves, and the prefetches only take miss buffers.
// Cores not measured keep the prefetches, as the kernels were first tuned with them.
bool prefetch_helps(const char* vendor, unsigned family, unsigned model) {
  // AMD Zen 4: family 0x19, models 0x10-0x1f and 0x60-0xaf (probe/uarch.cpp, reference/cpu-uarch.md).
  const bool zen4 = std::strcmp(vendor, "AuthenticAMD") == 0 && family == 0x19 &&
                    ((model >= 0x10 && model <= 0x1f) || (model >= 0x60 && model <= 0xaf));
  return !zen4;
}

bool prefetch_weights() {
  static const bool on = [] {
    unsigned a = 0, b = 0, c = 0, d = 0;
    if (!__get_cpuid(0, &a, &b, &c, &d)) return true;
    char vendor[13] = {};
    std::memcpy(vendor, &b, 4);
    std::memcpy(vendor + 4, &d, 4);
    std::memcpy(vendor + 8, &c, 4);
    if (!__get_cpuid(1, &a, &b, &c, &d)) return true;
    const unsigned base = (a >> 8) & 0xf, family = base + (base == 0xf ? (a >> 20) & 0xff : 0);
    const unsigned model = ((a >> 4) & 0xf) | (base == 0x6 || base == 0xf ? (a >> 12) & 0xf0 : 0);
    return prefetch_helps(vendor, family, model);
  }();
  return on;
}

}  // namespace specgap::cpu
