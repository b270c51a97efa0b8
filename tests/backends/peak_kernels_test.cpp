// Peak kernels: every kernel this CPU runs meets its closed form at small iteration counts, and the
// check rejects outputs that a skipped, extra or wrong instruction would leave.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "backends/cpu/core_clock.h"
#include "backends/cpu/peak_check.h"
#include "backends/cpu/peak_kernels.h"

namespace specgap::cpu {
namespace {

struct alignas(64) Output {
  unsigned char bytes[32 * 64];
};

std::string name(const PeakKernelEntry& k) { return std::string(to_string(k.dtype)) + " " + k.impl; }

size_t output_bytes(const PeakKernelEntry& k) { return static_cast<size_t>(k.accumulators) * k.vector_bits / 8; }

TEST(PeakKernels, EveryKernelMeetsItsClosedForm) {
  const auto kernels = peak_kernels();
  if (kernels.empty()) GTEST_SKIP() << "no peak kernels for this architecture";
  for (const auto& k : kernels) {
    const PeakOperands ops = peak_operands(k.dtype);
    const uint64_t some = std::min<uint64_t>(peak_max_exact_iterations(k.dtype), 65536);
    for (uint64_t n : {uint64_t{0}, uint64_t{1}, uint64_t{7}, uint64_t{1000}, some}) {
      Output out;
      std::memset(out.bytes, 0xff, sizeof out.bytes);
      k.fn(n, ops, out.bytes);
      EXPECT_EQ(check_peak_output(k, n, out.bytes), "") << name(k) << " n=" << n;
    }
  }
}

TEST(PeakKernels, CheckRejectsAMissingOrExtraIteration) {
  for (const auto& k : peak_kernels()) {
    const PeakOperands ops = peak_operands(k.dtype);
    Output out;
    k.fn(100, ops, out.bytes);
    EXPECT_NE(check_peak_output(k, 99, out.bytes), "") << name(k);
    EXPECT_NE(check_peak_output(k, 101, out.bytes), "") << name(k);
  }
}

TEST(PeakKernels, CheckRejectsOneWrongLaneInTheLastAccumulator) {
  for (const auto& k : peak_kernels()) {
    const PeakOperands ops = peak_operands(k.dtype);
    Output out;
    k.fn(50, ops, out.bytes);
    ASSERT_EQ(check_peak_output(k, 50, out.bytes), "") << name(k);
    out.bytes[output_bytes(k) - 2] ^= 0x40;  // a high byte of the last lane
    const std::string err = check_peak_output(k, 50, out.bytes);
    EXPECT_NE(err.find("accumulator " + std::to_string(k.accumulators - 1)), std::string::npos) << name(k) << ": " << err;
  }
}

TEST(PeakKernels, CheckRejectsAnOutputTheKernelNeverWrote) {
  for (const auto& k : peak_kernels()) {
    Output out;
    std::memset(out.bytes, 0, sizeof out.bytes);
    EXPECT_NE(check_peak_output(k, 10, out.bytes), "") << name(k);
  }
}

TEST(PeakKernels, CheckRefusesIterationCountsBeyondExactness) {
  for (const auto& k : peak_kernels()) {
    Output out{};
    const std::string err = check_peak_output(k, peak_max_exact_iterations(k.dtype) + 1, out.bytes);
    EXPECT_NE(err.find("exceed"), std::string::npos) << name(k) << ": " << err;
  }
}

TEST(PeakKernels, ClosedFormStaysExactUpToTheLimit) {
  // Below 2^53 every integer and half-integer is an exact double, so the expected values themselves
  // are exact; the limits keep the accumulator's own type exact too.
  EXPECT_EQ(peak_expected_lane(Dtype::fp32, 2), 4.0);  // 1 + 2 x (0.5 x 3)
  EXPECT_LT(peak_expected_lane(Dtype::fp32, peak_max_exact_iterations(Dtype::fp32)), 0x1p22);
  EXPECT_LT(peak_expected_lane(Dtype::bf16, peak_max_exact_iterations(Dtype::bf16)), 0x1p22);
  EXPECT_LE(peak_expected_lane(Dtype::fp16, peak_max_exact_iterations(Dtype::fp16)), 2048.0);
  EXPECT_GT(peak_expected_lane(Dtype::int8, peak_max_exact_iterations(Dtype::int8)), -0x1p31);
  EXPECT_GE(peak_max_exact_iterations(Dtype::fp32), uint64_t{1} << 20);
  EXPECT_GE(peak_max_exact_iterations(Dtype::bf16), uint64_t{1} << 20);
  EXPECT_GE(peak_max_exact_iterations(Dtype::fp16), 1000u);
}

TEST(PeakKernels, OpsPerInstructionFollowTheHardwareCounting) {
  for (const auto& k : peak_kernels()) {
    const int lanes32 = k.vector_bits / 32;
    int expected = 0;
    switch (k.dtype) {
      case Dtype::fp64: expected = lanes32 / 2 * 2; break;  // 64-bit lanes, FMA = 2
      case Dtype::fp32: expected = lanes32 * 2; break;
      case Dtype::fp16: expected = lanes32 * 2 * 2; break;  // two fp16 lanes per 32 bits
      case Dtype::bf16: expected = lanes32 * 4; break;      // 2 multiplies + 2 adds per fp32 lane
      case Dtype::int8: expected = lanes32 * 8; break;      // 4 multiplies + 4 adds per int32 lane
      default: break;
    }
    EXPECT_EQ(k.ops_per_instruction, expected) << name(k);
  }
}

TEST(PeakKernels, AKernelThisCpuCannotRunIsListedWithItsReason) {
  const auto available = peak_kernels();
  for (const auto& m : missing_peak_kernels()) {
    EXPECT_FALSE(m.reason.empty()) << m.impl;
    for (const auto& k : available) EXPECT_FALSE(k.dtype == m.dtype && m.impl == k.impl) << m.impl;
  }
}

TEST(CoreClock, TheAddChainRunsAtOneAddPerCycle) {
  // A chain the core could fold or overlap would read far above any real clock; a broken timer far
  // below. The bounds are physical, not a benchmark.
  const auto ghz = measure_core_ghz(add_chain_blocks_for(0.005));
  if (!ghz) GTEST_SKIP() << "no add chain for this architecture";
  EXPECT_GT(*ghz, 0.2);
  EXPECT_LT(*ghz, 7.0);
}

}  // namespace
}  // namespace specgap::cpu
