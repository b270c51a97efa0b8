#pragma once
// Peak-rate kernels: register-resident loops that keep one kind of arithmetic pipe (FMA, bf16 or int8
// dot product) busy, with enough independent accumulators to cover latency x throughput. Each runs
// `iterations` times one instruction on every accumulator, then stores the accumulators, so its output
// has a closed form that proves every instruction ran (see peak_check.h).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/dtype.h"

namespace specgap::cpu {

// The operands every accumulator uses: one vector's worth (64 bytes) of each, broadcast to all.
struct alignas(64) PeakOperands {
  unsigned char acc0[64];  // the accumulators' starting value
  unsigned char a[64];
  unsigned char b[64];
};

// The most bytes a kernel stores: 32 zmm accumulators (2 KiB), 4 AMX tiles of 1 KiB, or all 32 SVE
// registers at the architecture's longest vector, 2048 bits (8 KiB; a process learns its length only
// at run time, so the buffer is sized for the longest).
constexpr size_t kPeakMaxOutputBytes = 8192;

// Runs the loop and stores accumulator k at out + k * vector_bytes.
using PeakKernelFn = void (*)(uint64_t iterations, const PeakOperands& ops, void* out);

// A plain-data table row, so SIMD translation units need no std:: code (see arch CMakeLists).
struct PeakKernelEntry {
  Dtype dtype;
  const char* impl;         // e.g. avx512-fma, avx512-vnni, amx-int8, neon-fmla, neon-smmla, sve-bfdot
  const char* instruction;  // what the loop issues, e.g. "vfmadd231ps zmm"
  int vector_bits;          // an AMX tile counts as one 8192-bit accumulator (16 rows x 64 bytes); SVE's is read at run time
  int accumulators;
  int ops_per_instruction;  // by the hardware's counting: lanes x (2 per FMA, 2 per dot multiply)
  PeakKernelFn fn;
  // 32-bit operand groups each instruction sums into one accumulator lane: 1 for vector FMAs and dot
  // products; 2 for Arm's matrix multiply-accumulates (SMMLA, BFMMLA: an 8-byte row of A against one
  // of B per lane); 16 for an AMX tile product (a 64-byte row of A against a column of B).
  int groups_per_lane = 1;
};

struct MissingPeakKernel {
  Dtype dtype;
  std::string impl;
  std::string reason;  // one line, e.g. "no AVX512_FP16 on this CPU: no native fp16 arithmetic"
};

// Every peak kernel this CPU and OS can run, narrowest vector first within a dtype.
std::vector<PeakKernelEntry> peak_kernels();
// The kernels built in that this CPU cannot run, each with its reason.
std::vector<MissingPeakKernel> missing_peak_kernels();

}  // namespace specgap::cpu
