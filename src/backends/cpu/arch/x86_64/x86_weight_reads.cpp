#include "backends/cpu/arch/x86_64/x86_weight_reads.h"

#include <string_view>

#include "probe/cpuid.h"
#include "probe/machine.h"

namespace specgap::cpu {

namespace {
CpuIdentity identity_of(const char* vendor, unsigned family, unsigned model) {
  CpuIdentity id;
  id.vendor = vendor;
  id.family = static_cast<int>(family);
  id.model = static_cast<int>(model);
  return id;
}
bool is_zen4(const char* vendor, unsigned family, unsigned model) {
  return lookup_uarch(identity_of(vendor, family, model)).id == "zen4";  // the probe's table (probe/uarch.cpp)
}
// Whether this CPU is a Zen 4, read once from CPUID for both properties (not where CPUID gives no
// family: such a CPU keeps what unmeasured cores get).
bool this_cpu_is_zen4() {
  static const bool zen4 = [] {
    const CpuIdentity id = identity_from_cpuid(read_cpuid_leaves());
    return id.family >= 0 && is_zen4(id.vendor.c_str(), static_cast<unsigned>(id.family), static_cast<unsigned>(id.model));
  }();
  return zen4;
}
}  // namespace

// Measured per core, decode of the 1B presets (tg64, two cores, runs alternated, each against the
// read kernel of its own run):
// - Zen 5 (AVX-512, one stream per core then): 2 KiB ahead 75-78 tokens/s, none 65.
// - Zen 3 (AVX2): 1 KiB ahead helped Q4_0 and Q8_0; the K-quants' slices doubled Q6_K's rate.
// - Zen 4 (EPYC 9004, KVM): every prefetch removed, AVX-512 Q4_0 went from 0.78-0.79 of the read
//   bandwidth to 0.83-0.85 in the host's fast mode (62-64 GB/s), Q8_0 0.80-0.82 to 0.84-0.87, MXFP4
//   0.80 to 0.86; AVX2 Q4_0 42-48 GB/s to 47-50; the Q6_K matrix alone (decode_bench PerRead) 0.71
//   to 0.89-0.93. Its L2 prefetchers keep up by themselves, and the prefetches only take miss buffers.
// - Intel Emerald Rapids (KVM, two cores): a second prefetch, into L2 4 blocks (K-quants: 3
//   super-blocks) beyond the L1 one, each kernel paired with the read kernel (decode_bench PerRead, 2
//   alternated runs): AVX-512 Q4_0 0.83-0.85 of the read to 0.97, Q8_0 0.92-0.97 to 0.98-0.99, MXFP4
//   0.84-0.88 to 0.90-0.94, Q6_K 0.87-0.88 to 0.95-0.97; AVX2 Q4_0 0.85-0.87 to 0.90-0.92, Q8_0
//   0.84-0.85 to 0.87-0.94, MXFP4 0.77-0.81 to 0.82-0.90, Q6_K 0.85 to 0.81-0.94. In the engine, tg128
//   of the 1B Q4_0 file went to 0.94 of the read (AVX2 path 0.89), Q8_0 to 0.98 (AVX2 0.85). Without
//   it the L2 streamer, which stops at each 4 KiB page, kept too few lines in flight. Intel cores
//   take both; only Emerald Rapids was measured.
// Cores not measured keep the near prefetches, as the kernels were first tuned with them.
Prefetch prefetch_for(const char* vendor, unsigned family, unsigned model) {
  if (is_zen4(vendor, family, model)) return Prefetch::none;
  return std::string_view(vendor) == "GenuineIntel" ? Prefetch::near_and_far : Prefetch::near;
}
Prefetch prefetch_weights() {
  static const Prefetch p = [] {
    const CpuIdentity id = identity_from_cpuid(read_cpuid_leaves());
    if (id.family < 0) return Prefetch::near;
    return prefetch_for(id.vendor.c_str(), static_cast<unsigned>(id.family), static_cast<unsigned>(id.model));
  }();
  return p;
}

// Zen 4 executes a 512-bit load as two 256-bit halves. Streaming from DRAM, 256-bit loads moved more:
// the memory suite's read with 2 threads (EPYC 9004, KVM, the host's fast mode) gave avx2 67.4 GB/s,
// avx512 61.8. decode_bench PerRead/q6_k, runs alternated: 0.83-0.85 of the read with 512-bit loads,
// 0.88-0.89 with the halves; in the engine, the 1B Q4_0 file's decode (its output matrix is Q6_K)
// went from 0.85-0.88 to 0.86-0.87, effective 52-56 GB/s to 53-56. Q4_0 and Q8_0 showed no clear
// change, and split loads cost the in-cache (prefill) Q6_K kernel 15%: decode's Q6_K only.
// Zen 5 loads 512 bits at once and was not measured with halves: it keeps the wide loads.
bool split_loads_help(const char* vendor, unsigned family, unsigned model) { return is_zen4(vendor, family, model); }
bool split_wide_loads() { return this_cpu_is_zen4(); }

}  // namespace specgap::cpu
