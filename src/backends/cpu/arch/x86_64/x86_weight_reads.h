#pragma once
// How the decode kernels of both x86 ISA files read packed weights, by core. Decode streams each
// matrix once from DRAM, and what keeps the most lines in flight depends on the core:
// - software prefetch ahead of the kernel, where the hardware prefetchers alone fall behind while the
//   core unpacks (prefetch_weights);
// - 512-bit weight loads split into two 256-bit loads, where the core runs a 512-bit load as two
//   halves anyway and streams 256-bit loads faster (split_wide_loads).
// Each is on only where it was measured to help (x86_weight_reads.cpp).
#include <cstddef>
#include <cstdint>

namespace specgap::cpu {

// Whether the matmul kernels issue software prefetches on a core of this x86 vendor ("AuthenticAMD",
// "GenuineIntel"), family and model (CPUID leaf 1, extended fields added).
bool prefetch_helps(const char* vendor, unsigned family, unsigned model);
// prefetch_helps for this CPU, read once from CPUID.
bool prefetch_weights();
// Whether decode's AVX-512 kernels load K-quant weights as 256-bit halves on such a core.
bool split_loads_help(const char* vendor, unsigned family, unsigned model);
// split_loads_help for this CPU, read once from CPUID.
bool split_wide_loads();

// The templates below are instantiated in the ISA files, each compiled with its own -m flags: static
// (internal linkage), so that the linker cannot fold an AVX-512 file's copy into the AVX2 path.

// A 32-column block's lines, kAhead bytes ahead of it, at the start of the block: its few lines
// (288-576 bytes) do not fill the miss buffers.
template <size_t kAhead>
static inline void prefetch_ahead(const uint8_t* blk, size_t bytes) {
  for (size_t off = 0; off < bytes; off += 64) __builtin_prefetch(blk + kAhead + off, 0, 3);
}

// The K-quants' super-blocks (2-3 KiB) prefetch the next super-block a slice at a time, one slice per
// step of the unpacking: all 53 lines of a Q6_K super-block at once filled the miss buffers and
// stalled the core (AVX2 on Zen 3, two cores, same run: Q6_K 12-17 GB/s that way against 25-26
// spread out, where the read kernel gave 30-38).
// Written as volatile asm, which GCC's scheduler does not move: as _mm_prefetch, GCC hoisted all
// the unrolled slices' prefetches to the top of the super-block, one burst again.
template <size_t kBlock, int kSlices>
static inline void prefetch_slice(const uint8_t* blk, int slice) {
  constexpr size_t kSlice = kBlock / kSlices;  // the lines of its start points cover every line
  const uint8_t* next = blk + kBlock + slice * kSlice;
  for (size_t off = 0; off < kSlice; off += 64) asm volatile("prefetcht0 %0" : : "m"(next[off]));
}

}  // namespace specgap::cpu
