#pragma once
// How the decode kernels of both x86 ISA files read packed weights, by core. Decode streams each
// matrix once from DRAM, and what keeps the most lines in flight depends on the core:
// - software prefetch ahead of the kernel, where the hardware prefetchers alone fall behind while the
//   core unpacks, into L1 just ahead and, on some cores, into L2 further ahead too (prefetch_weights);
// - 512-bit weight loads split into two 256-bit loads, where the core runs a 512-bit load as two
//   halves anyway and streams 256-bit loads faster (split_wide_loads).
// Each is on only where it was measured to help (x86_weight_reads.cpp).
#include <cstddef>
#include <cstdint>

namespace specgap::cpu {

// Which software prefetches the matmul kernels issue: none, into L1 just ahead of the weights being
// read (near), or that and into L2 a few times further ahead (near_and_far).
enum class Prefetch : uint8_t { none, near, near_and_far };
// The prefetches for a core of this x86 vendor ("AuthenticAMD", "GenuineIntel"), family and model
// (CPUID leaf 1, extended fields added).
Prefetch prefetch_for(const char* vendor, unsigned family, unsigned model);
// prefetch_for this CPU, read once from CPUID.
Prefetch prefetch_weights();
// Whether decode's AVX-512 kernels load K-quant weights as 256-bit halves on such a core.
bool split_loads_help(const char* vendor, unsigned family, unsigned model);
// split_loads_help for this CPU, read once from CPUID.
bool split_wide_loads();

// The templates below are instantiated in the ISA files, each compiled with its own -m flags: static
// (internal linkage), so that the linker cannot fold an AVX-512 file's copy into the AVX2 path.

// How many times further ahead than the L1 prefetch the L2 one reaches (near_and_far): 4 and 2, 3 and
// 5 super-blocks measured alike on Intel Emerald Rapids.
constexpr size_t kFarBlocks = 4;

// A 32-column block's lines, kAhead bytes ahead of it (and kFarBlocks x kAhead into L2, where p says
// so), at the start of the block: its few lines (288-576 bytes) do not fill the miss buffers.
// Volatile asm, as prefetch_slice's: GCC 12 dropped __builtin_prefetch calls behind the test of p
// from the kernels altogether.
template <size_t kAhead>
static inline void prefetch_ahead(const uint8_t* blk, size_t bytes, Prefetch p) {
  if (p == Prefetch::none) return;
  for (size_t off = 0; off < bytes; off += 64) asm volatile("prefetcht0 %0" : : "m"(blk[kAhead + off]));
  if (p == Prefetch::near_and_far)
    for (size_t off = 0; off < bytes; off += 64) asm volatile("prefetcht1 %0" : : "m"(blk[kFarBlocks * kAhead + off]));
}

// The K-quants' super-blocks (2-3 KiB) prefetch the next super-block a slice at a time, one slice per
// step of the unpacking: all 53 lines of a Q6_K super-block at once filled the miss buffers and
// stalled the core (AVX2 on Zen 3, two cores, same run: Q6_K 12-17 GB/s that way against 25-26
// spread out, where the read kernel gave 30-38).
// Written as volatile asm, which GCC's scheduler does not move: as _mm_prefetch, GCC hoisted all
// the unrolled slices' prefetches to the top of the super-block, one burst again.
// With near_and_far, the same slice of the super-block kFarBlocks - 1 further on goes into L2.
template <size_t kBlock, int kSlices>
static inline void prefetch_slice(const uint8_t* blk, int slice, Prefetch p) {
  if (p == Prefetch::none) return;
  constexpr size_t kSlice = kBlock / kSlices;  // the lines of its start points cover every line
  const uint8_t* next = blk + kBlock + slice * kSlice;
  for (size_t off = 0; off < kSlice; off += 64) asm volatile("prefetcht0 %0" : : "m"(next[off]));
  if (p == Prefetch::near_and_far)
    for (size_t off = 0; off < kSlice; off += 64)
      asm volatile("prefetcht1 %0" : : "m"(next[(kFarBlocks - 1) * kBlock + off]));
}

}  // namespace specgap::cpu
