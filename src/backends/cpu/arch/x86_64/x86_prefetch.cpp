#include "backends/cpu/arch/x86_64/x86_prefetch.h"

#include "probe/cpuid.h"
#include "probe/machine.h"

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
  CpuIdentity id;
  id.vendor = vendor;
  id.family = static_cast<int>(family);
  id.model = static_cast<int>(model);
  return lookup_uarch(id).id != "zen4";  // the probe's table of cores (probe/uarch.cpp)
}

bool prefetch_weights() {
  static const bool on = [] {
    const CpuIdentity id = identity_from_cpuid(read_cpuid_leaves());
    return id.family < 0 || prefetch_helps(id.vendor.c_str(), static_cast<unsigned>(id.family), static_cast<unsigned>(id.model));
  }();
  return on;
}

}  // namespace specgap::cpu
