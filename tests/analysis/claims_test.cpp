// Claim vs delivered as pure functions: units, sparse claims, refusals, and the theoretical-peak
// verdicts a run's own results support.
#include <gtest/gtest.h>

#include <cmath>

#include "analysis/claims.h"

namespace specgap::analysis {
namespace {

TEST(UnitFactor, ScalesWithinAQuantityAndRefusesAcross) {
  EXPECT_DOUBLE_EQ(*unit_factor("TFLOP/s", "GFLOP/s"), 1000);
  EXPECT_DOUBLE_EQ(*unit_factor("GB/s", "TB/s"), 1e-3);
  EXPECT_DOUBLE_EQ(*unit_factor("PFLOP/s", "TFLOP/s"), 1000);
  EXPECT_DOUBLE_EQ(*unit_factor("TOP/s", "TOP/s"), 1);
  EXPECT_FALSE(unit_factor("TFLOP/s", "TOP/s"));  // FLOPs and integer ops are not the same thing
  EXPECT_FALSE(unit_factor("GB/s", "TFLOP/s"));
  EXPECT_FALSE(unit_factor("tokens/s", "tokens/s"));
  EXPECT_FALSE(unit_factor("XFLOP/s", "TFLOP/s"));
}

TEST(ClaimVsDelivered, TheSeedsDgxSparkBf16) {
  // The story specgap exists for: 1 PFLOPS claimed (FP4, sparse), 60 TFLOP/s BF16 delivered.
  const Claim claim{"compute", "fp4", 1.0, "PFLOP/s", true, "NVIDIA DGX Spark spec sheet"};
  const auto v = claim_vs_delivered(claim, {480, "TFLOP/s", "gemm"});
  ASSERT_TRUE(v);
  EXPECT_DOUBLE_EQ(v->claimed, 0.5);  // the dense half
  EXPECT_DOUBLE_EQ(v->delivered, 0.48);
  EXPECT_DOUBLE_EQ(v->ratio, 0.96);
  EXPECT_EQ(v->unit, "PFLOP/s");
  EXPECT_NE(v->note.find("2:4 sparsity"), std::string::npos) << v->note;
}

TEST(ClaimVsDelivered, DenseClaimInAnotherPrefix) {
  const auto v = claim_vs_delivered({"memory", std::nullopt, 273, "GB/s", false, "spec"}, {0.221, "TB/s", "read"});
  ASSERT_TRUE(v);
  EXPECT_DOUBLE_EQ(v->delivered, 221);
  EXPECT_NEAR(v->ratio, 221.0 / 273.0, 1e-12);
  EXPECT_EQ(v->note, "delivered by read");
}

TEST(ClaimVsDelivered, RefusesWhatCannotBeCompared) {
  const Claim claim{"compute", "fp32", 563, "GFLOP/s", false, "x"};
  EXPECT_FALSE(claim_vs_delivered(claim, {1.0, "TOP/s", ""}));
  EXPECT_FALSE(claim_vs_delivered(claim, {std::nan(""), "GFLOP/s", ""}));
  EXPECT_FALSE(claim_vs_delivered(claim, {0, "GFLOP/s", ""}));
  EXPECT_FALSE(claim_vs_delivered({"compute", "fp32", 0, "GFLOP/s", false, "x"}, {1, "GFLOP/s", ""}));
  EXPECT_FALSE(claim_vs_delivered({"compute", "fp32", -1, "GFLOP/s", false, "x"}, {1, "GFLOP/s", ""}));
}

TEST(ClaimVsDelivered, JsonHasTheSchemaFields) {
  const auto v = claim_vs_delivered({"compute", "bf16", 1000, "TFLOP/s", false, "s"}, {480, "TFLOP/s", ""});
  const auto j = to_json(*v);
  for (const char* key : {"what", "dtype", "claimed", "delivered", "unit", "ratio", "claim_source", "note"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_DOUBLE_EQ(j["ratio"].get<double>(), 0.48);
}

Result compute_result(const char* name, const char* dtype, double value, const char* impl) {
  Result r;
  r.suite = "compute";
  r.name = name;
  r.dtype = dtype;
  r.value = value;
  r.unit = "TFLOP/s";
  r.impl = impl;
  return r;
}

TEST(TheoreticalPeakVerdicts, PeakAndGemmOfADtypeAreHeldAgainstItsPeak) {
  Result peak = compute_result("peak", "fp32", 0.55, "avx512-fma");
  peak.params["theoretical_peak"] = {{"value", 0.5632}, {"formula", "2 cores x 4.4 GHz x 64"}, {"source", "t"},
                                     {"confidence", "derived"}};
  Result gemm = compute_result("gemm", "fp32", 0.49, "onednn");
  gemm.params = {{"m", 4096}, {"n", 4096}, {"k", 4096}};
  Result other_dtype = compute_result("gemm", "bf16", 1.0, "onednn");  // no bf16 peak result: no verdict
  Result failed = compute_result("gemm", "fp32", 0.9, "x");
  failed.check = "failed: wrong";
  const auto verdicts = theoretical_peak_verdicts({peak, gemm, other_dtype, failed});
  ASSERT_EQ(verdicts.size(), 2u);
  EXPECT_EQ(verdicts[0].what, "compute peak");
  EXPECT_NEAR(verdicts[0].ratio, 0.55 / 0.5632, 1e-12);
  EXPECT_EQ(verdicts[1].what, "compute gemm");
  EXPECT_NEAR(verdicts[1].ratio, 0.49 / 0.5632, 1e-12);
  EXPECT_NE(verdicts[1].note.find("4096x4096x4096"), std::string::npos) << verdicts[1].note;
  EXPECT_NE(verdicts[1].claim_source.find("measured clock"), std::string::npos);
}

TEST(TheoreticalPeakVerdicts, ADevicesFiguresMeetOnlyItsOwnPeak) {
  Result gpu_peak = compute_result("peak", "fp32", 70, "vk-vec4-x8");
  gpu_peak.device = "gpu0";
  gpu_peak.params["theoretical_peak"] = {{"value", 82.6}, {"formula", "128 SM x 2.520 GHz x 256"}};
  Result cpu_gemm = compute_result("gemm", "fp32", 0.49, "onednn");  // the CPU's: no fp32 peak of its own here
  const auto verdicts = theoretical_peak_verdicts({gpu_peak, cpu_gemm});
  ASSERT_EQ(verdicts.size(), 1u);
  EXPECT_EQ(verdicts[0].device, "gpu0");
  EXPECT_NEAR(verdicts[0].ratio, 70 / 82.6, 1e-12);
}

TEST(TheoreticalPeakVerdicts, NoneWithoutATheoreticalPeak) {
  Result peak = compute_result("peak", "fp64", 0.2, "avx512-fma");
  peak.params["theoretical_peak"] = nullptr;  // a core with no table row
  EXPECT_TRUE(theoretical_peak_verdicts({peak}).empty());
}

}  // namespace
}  // namespace specgap::analysis
