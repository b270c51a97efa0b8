#pragma once
// The operands of one GEMM and the check of its output, shared by every library and by the tests.
//
// Inputs are random and chosen so that the fp64 reference sees exactly what the library saw: bf16 and
// fp16 values are drawn on their format's grid, and every value is at least 2^-10 in magnitude (never
// zero, never subnormal in any format, so a flush-to-zero path cannot differ from the reference).
// int8 takes u8 A in [1, 127], so pre-VNNI u8*s8 paths that saturate pairs at int16 stay exact, and
// s8 B in [-128, 127] without 0; sums stay exact in int32 up to k = 2^31 / (127 * 128) ~ 132000.
//
// The check recomputes sampled entries of C in fp64 (exactly, for int8) and bounds the difference by
// the classic worst case for a k-term dot product: |c - ref| <= 2 * k * u * sum_k |a_ik * b_kj|, with u
// the unit round-off of the accumulation (2^-53 for fp64, 2^-24 for fp32, bf16 and fp16, which
// accumulate in fp32; their products are exact in fp32). The factor 2 also covers the fp64 reference's
// own rounding, which for fp64 inputs is as large as the library's. NaN and Inf always fail.
#include <cstdint>
#include <string>
#include <vector>

#include "backends/cpu/buffer.h"
#include "backends/cpu/gemm.h"
#include "backends/cpu/half.h"  // bf16_to_float, fp16_to_double: the decoders the check reads with
#include "core/dtype.h"

namespace specgap::cpu {

// The storage of each dtype's operands, row-major (the row of gemm_check.cpp's format table):
//   fp64: double x double -> double      bf16: bf16 bits (uint16_t) x bf16 bits -> float
//   fp32: float x float -> float         fp16: f16 bits (uint16_t) x f16 bits -> float
//   int8: uint8_t x int8_t -> int32_t
// tf32, fp8 and fp4 have none: no CPU library here takes them.
struct GemmFormat;

// A GEMM's operands as stored, in the layout of their dtype.
struct GemmView {
  Dtype dtype;
  GemmShape shape;
  const void* a;
  const void* b;
  const void* c;
};

struct GemmEntry {
  int64_t i, j;  // row, column of C
};

// The four corners of C, then `samples` random entries (deterministic from seed).
std::vector<GemmEntry> gemm_sample_entries(GemmShape s, int samples, uint64_t seed);

// "" when every entry is within its bound, else one line naming the first wrong entry, its value,
// the expected value and the bound, and how many of the entries were wrong.
std::string gemm_check(const GemmView& v, const std::vector<GemmEntry>& entries);

// A, B and C of one GEMM in their dtype's layout: A and B random as above, C poisoned.
class GemmOperands {
 public:
  // Throws specgap::Error for a dtype without a layout, a side below 1, or memory that cannot be mapped.
  GemmOperands(Dtype d, GemmShape s, uint64_t seed);

  Dtype dtype() const;
  GemmShape shape() const { return shape_; }
  void* a() const { return a_.data(); }
  void* b() const { return b_.data(); }
  void* c() const { return c_.data(); }
  GemmView view() const { return {dtype(), shape_, a(), b(), c()}; }

  // Fills C with NaN (floating point) or 0x7f7f7f7f (int32), so a library that writes nothing fails.
  void poison_c();

 private:
  const GemmFormat* format_;
  GemmShape shape_;
  Buffer a_, b_, c_;
};

}  // namespace specgap::cpu
