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
#if defined(__aarch64__)
#include "backends/cpu/arch/aarch64/arm_features.h"
#endif

namespace specgap::cpu {
namespace {

struct alignas(64) Output {
  unsigned char bytes[kPeakMaxOutputBytes];
};

std::string name(const PeakKernelEntry& k) { return std::string(to_string(k.dtype)) + " " + k.impl; }

size_t output_bytes(const PeakKernelEntry& k) { return static_cast<size_t>(k.accumulators) * k.vector_bits / 8; }

TEST(PeakKernels, EveryKernelMeetsItsClosedForm) {
  const auto kernels = peak_kernels();
  if (kernels.empty()) GTEST_SKIP() << "no peak kernels for this architecture";
  for (const auto& k : kernels) {
    const PeakOperands ops = peak_operands(k.dtype);
    const uint64_t some = std::min<uint64_t>(peak_max_exact_iterations(k), 65536);
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
    const std::string err = check_peak_output(k, peak_max_exact_iterations(k) + 1, out.bytes);
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

// An AMX tile product sums 16 operand groups into each lane. Few machines here have AMX to run the
// kernel, so its check is proved on the output it must leave: four 1 KiB tiles of fp32 or int32.
template <class T>
void fill_tiles(Output& out, T value) {
  for (size_t i = 0; i < kPeakMaxOutputBytes / sizeof(T); ++i) std::memcpy(out.bytes + i * sizeof(T), &value, sizeof(T));
}

TEST(PeakKernels, TileProductsAddSixteenGroupsPerLane) {
  EXPECT_EQ(peak_expected_lane(Dtype::bf16, 1, 16), 57.0);    // 1 + 16 x (0.5 x 3 + 2 x 1)
  EXPECT_EQ(peak_expected_lane(Dtype::int8, 2, 16), -664.0);  // 1000 + 2 x 16 x -52
  const uint64_t bf16_limit = peak_max_exact_iterations(Dtype::bf16, 16);
  EXPECT_LT(peak_expected_lane(Dtype::bf16, bf16_limit, 16), 0x1p22);
  EXPECT_GT(peak_expected_lane(Dtype::bf16, bf16_limit + 2, 16), 0x1p22);
  EXPECT_GE(peak_max_exact_iterations(Dtype::bf16, 16), uint64_t{1} << 16);
  EXPECT_GE(peak_max_exact_iterations(Dtype::int8, 16), uint64_t{1} << 20);

  const PeakKernelEntry bf16_tile{Dtype::bf16, "amx-bf16", "tdpbf16ps tmm", 8192, 4, 16384, nullptr, 16};
  Output out;
  fill_tiles(out, 1.0f + 10 * 56.0f);
  EXPECT_EQ(check_peak_output(bf16_tile, 10, out.bytes), "");
  EXPECT_NE(check_peak_output(bf16_tile, 9, out.bytes), "");
  out.bytes[4 * 1024 - 2] ^= 0x40;  // the last lane of the last tile
  EXPECT_NE(check_peak_output(bf16_tile, 10, out.bytes).find("accumulator 3 lane 255"), std::string::npos);

  const PeakKernelEntry int8_tile{Dtype::int8, "amx-int8", "tdpbusd tmm", 8192, 4, 32768, nullptr, 16};
  fill_tiles(out, int32_t{1000 - 3 * 832});
  EXPECT_EQ(check_peak_output(int8_tile, 3, out.bytes), "");
  fill_tiles(out, int32_t{1000 - 3 * 52});  // what one group per lane would leave
  EXPECT_NE(check_peak_output(int8_tile, 3, out.bytes), "");
}

// The operands' dot product of four bytes, read the way an instruction reads them.
int32_t int8_group(const PeakOperands& ops, bool a_signed) {
  int32_t sum = 0;
  for (int i = 0; i < 4; ++i)
    sum += (a_signed ? int32_t(int8_t(ops.a[i])) : int32_t(ops.a[i])) * int32_t(int8_t(ops.b[i]));
  return sum;
}

TEST(PeakKernels, Int8OperandsGiveTheSameStepSignedOrUnsigned) {
  // VPDPBUSD reads the first operand unsigned, SDOT and SMMLA read it signed: one closed form fits both.
  const PeakOperands ops = peak_operands(Dtype::int8);
  EXPECT_EQ(int8_group(ops, false), int8_group(ops, true));
  EXPECT_EQ(peak_expected_lane(Dtype::int8, 1) - 1000, int8_group(ops, true));
}

float bf16_at(const unsigned char* p, int i) {
  const uint32_t bits = uint32_t(p[2 * i]) << 16 | uint32_t(p[2 * i + 1]) << 24;
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

// A matrix multiply-accumulate (SMMLA, BFMMLA) reads each 128-bit operand as a 2 x k matrix, row-major,
// and adds A times B transposed to the 2 x 2 accumulator: lane 2i + j sums row i of A with row j of B.
// Done here on the operand bytes, every lane gains what two groups of the closed form give.
TEST(PeakKernels, MatrixMultiplyAccumulatesAddTwoGroupsPerLane) {
  const PeakOperands i8 = peak_operands(Dtype::int8);
  const PeakOperands bf = peak_operands(Dtype::bf16);
  for (int lane = 0; lane < 4; ++lane) {
    const int row = lane / 2, col = lane % 2;
    int32_t smmla = 0;
    for (int k = 0; k < 8; ++k) smmla += int32_t(int8_t(i8.a[row * 8 + k])) * int32_t(int8_t(i8.b[col * 8 + k]));
    EXPECT_EQ(smmla, peak_expected_lane(Dtype::int8, 1, 2) - 1000) << "lane " << lane;
    float bfmmla = 0;
    for (int k = 0; k < 4; ++k) bfmmla += bf16_at(bf.a, row * 4 + k) * bf16_at(bf.b, col * 4 + k);
    EXPECT_EQ(bfmmla, peak_expected_lane(Dtype::bf16, 1, 2) - 1) << "lane " << lane;
  }
  EXPECT_EQ(peak_expected_lane(Dtype::int8, 3, 2), 1000 - 3 * 104);
  EXPECT_EQ(peak_expected_lane(Dtype::bf16, 3, 2), 1 + 3 * 7);
}

#if defined(__aarch64__)
// Every Arm kernel whose feature this CPU has is offered, every other one is missing with its reason,
// and the SVE kernels run at the vector length this process has, read at run time.
TEST(PeakKernels, ArmKernelsFollowTheCpuFeaturesAndVectorLength) {
  const ArmFeatures& f = arm_features();
  const auto available = peak_kernels();
  const auto missing = missing_peak_kernels();
  struct Expected {
    Dtype dtype;
    const char* impl;
    bool runs;
    const char* reason_names;
  };
  const Expected expected[] = {
      {Dtype::fp64, "neon-fmla", f.asimd, "NEON"},     {Dtype::fp32, "neon-fmla", f.asimd, "NEON"},
      {Dtype::fp16, "neon-fmla", f.fphp, "FP16"},      {Dtype::int8, "neon-sdot", f.dotprod, "dot product"},
      {Dtype::int8, "neon-smmla", f.i8mm, "I8MM"},     {Dtype::bf16, "neon-bfdot", f.bf16, "BF16"},
      {Dtype::bf16, "neon-bfmmla", f.bf16, "BF16"},    {Dtype::fp64, "sve-fmla", f.sve, "SVE"},
      {Dtype::fp32, "sve-fmla", f.sve, "SVE"},         {Dtype::fp16, "sve-fmla", f.sve, "SVE"},
      {Dtype::int8, "sve-sdot", f.sve, "SVE"},         {Dtype::int8, "sve-smmla", f.sve_i8mm, f.sve ? "I8MM" : "SVE"},
      {Dtype::bf16, "sve-bfdot", f.sve_bf16, f.sve ? "BF16" : "SVE"},
      {Dtype::bf16, "sve-bfmmla", f.sve_bf16, f.sve ? "BF16" : "SVE"},
  };
  for (const auto& e : expected) {
    const auto k = std::find_if(available.begin(), available.end(),
                                [&](const auto& k) { return k.dtype == e.dtype && std::string(k.impl) == e.impl; });
    const auto m = std::find_if(missing.begin(), missing.end(),
                                [&](const auto& m) { return m.dtype == e.dtype && m.impl == e.impl; });
    const std::string what = std::string(to_string(e.dtype)) + " " + e.impl;
    ASSERT_EQ(k != available.end(), e.runs) << what;
    ASSERT_EQ(m != missing.end(), !e.runs) << what;
    if (!e.runs) {
      EXPECT_NE(m->reason.find(e.reason_names), std::string::npos) << what << ": " << m->reason;
      continue;
    }
    const bool sve = std::string(e.impl).starts_with("sve");
    EXPECT_EQ(k->vector_bits, sve ? f.sve_vector_bits : 128) << what;
    EXPECT_LE(output_bytes(*k), kPeakMaxOutputBytes) << what;
    EXPECT_EQ(k->groups_per_lane, std::string(e.impl).ends_with("mmla") ? 2 : 1) << what;
  }
  const auto runs = std::count_if(std::begin(expected), std::end(expected), [](const auto& e) { return e.runs; });
  EXPECT_EQ(available.size(), static_cast<size_t>(runs));
}
#endif

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
    EXPECT_EQ(k.ops_per_instruction, expected * k.groups_per_lane) << name(k);
  }
}

TEST(PeakKernels, AKernelThisCpuCannotRunIsListedWithItsReason) {
  const auto available = peak_kernels();
  for (const auto& m : missing_peak_kernels()) {
    EXPECT_FALSE(m.reason.empty()) << m.impl;
    for (const auto& k : available) EXPECT_FALSE(k.dtype == m.dtype && m.impl == k.impl) << m.impl;
  }
}

TEST(PeakKernels, AmxTilesRunOrAreNamedWithTheirReason) {
#if defined(__x86_64__)
  const auto available = peak_kernels();
  const auto missing = missing_peak_kernels();
  for (std::string impl : {"amx-bf16", "amx-int8"}) {
    const bool runs = std::any_of(available.begin(), available.end(), [&](const auto& k) { return k.impl == impl; });
    const auto m = std::find_if(missing.begin(), missing.end(), [&](const auto& k) { return k.impl == impl; });
    EXPECT_NE(runs, m != missing.end()) << impl;
    if (m != missing.end()) {
      EXPECT_NE(m->reason.find("AMX"), std::string::npos) << m->reason;
    }
  }
#else
  GTEST_SKIP() << "AMX is x86-64 only";
#endif
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
