// The projection model: ceilings from catalog claims, efficiencies from other systems' published
// runs, and its error against every published llama.cpp decode figure in the shipped catalog.
#include <gtest/gtest.h>

#include <cmath>

#include "analysis/predict.h"
#include "core/stats.h"

namespace specgap::analysis {
namespace {

catalog::Figure figure(std::string what, double value, std::string unit, nlohmann::json detail = nlohmann::json::object(),
                       std::optional<std::string> dtype = std::nullopt, bool sparse = false) {
  catalog::Figure f;
  f.what = std::move(what);
  f.value = value;
  f.unit = std::move(unit);
  f.detail = std::move(detail);
  f.dtype = std::move(dtype);
  f.sparse = sparse;
  f.source = "test";
  return f;
}

catalog::System system(std::string id, std::string kind, double bw) {
  catalog::System s;
  s.id = std::move(id);
  s.name = s.id;
  s.kind = std::move(kind);
  s.claims.push_back(figure("memory_bandwidth", bw, "GB/s"));
  return s;
}

TEST(Ceilings, TakeBandwidthAndTheDenseSixteenBitRate) {
  auto s = system("g", "gpu", 936);
  s.claims.push_back(figure("compute", 142, "TFLOP/s", {}, "fp16"));  // fp16 accumulate
  s.claims.push_back(figure("compute", 71, "TFLOP/s", {}, "fp16"));   // fp32 accumulate
  s.claims.push_back(figure("compute", 35.6, "TFLOP/s", {}, "fp32"));
  s.claims.push_back(figure("memory_capacity", 24, "GB"));
  const auto c = catalog_ceilings(s, 3);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->bandwidth_gbs, 936);
  EXPECT_EQ(c->compute_dtype, "fp16");
  EXPECT_EQ(*c->compute_tflops, 71);
  EXPECT_EQ(*c->capacity_gb, 24);
  EXPECT_EQ(c->devices, 3);

  auto spark = system("a", "soc", 273);
  spark.claims.push_back(figure("compute", 1000, "TFLOP/s", {}, "fp4", true));
  spark.derived.push_back(figure("compute", 125, "TFLOP/s", {}, "bf16"));
  const auto a = catalog_ceilings(spark);
  EXPECT_EQ(a->kind, "apu");
  EXPECT_EQ(a->compute_dtype, "bf16");

  EXPECT_FALSE(catalog_ceilings(catalog::System{}));  // no bandwidth: nothing to project from
}

TEST(Projection, DecodeIsBandwidthOverBytesTimesEfficiency) {
  const auto cost = *model_cost("llama-3.1-8b", "q4_0");
  Ceilings c;
  c.bandwidth_gbs = 100;
  c.capacity_gb = 4;
  const Workload w{512, 128, 0};
  const auto p = project(cost, c, w, Efficiency{0.5, 1, "x"}, std::nullopt);
  EXPECT_NEAR(p.decode_ceiling_tps, 100e9 / cost.decode_bytes(64), 1e-9);
  EXPECT_NEAR(*p.decode_tps, 0.5 * p.decode_ceiling_tps, 1e-9);
  EXPECT_FALSE(p.prefill_tps);  // no compute ceiling
  EXPECT_FALSE(p.ttft_s);
  ASSERT_TRUE(p.fits);
  EXPECT_FALSE(*p.fits);  // 4.7 GB of weights in 4 GB
  c.devices = 2;
  EXPECT_TRUE(*project(cost, c, w, std::nullopt, std::nullopt).fits);
}

TEST(Projection, PrefillAndTimeToFirstToken) {
  const auto cost = *model_cost("llama-3.1-8b", "q4_0");
  Ceilings c;
  c.bandwidth_gbs = 100;
  c.compute_tflops = 10;
  const auto p = project(cost, c, {1000, 1, 0}, std::nullopt, Efficiency{0.25, 1, "x"});
  EXPECT_NEAR(*p.prefill_tps, 0.25 * 10e12 / cost.prompt_token_flops(500), 1e-6);  // no logits but the last
  EXPECT_NEAR(*p.ttft_s, 1000 / *p.prefill_tps, 1e-12);
  EXPECT_FALSE(p.fits);  // capacity unknown
}

TEST(KindEfficiency, LeavesTheSystemItselfOutAndFallsBack) {
  auto a = system("a", "apu", 200), b = system("b", "apu", 100), g = system("g", "gpu", 1000);
  // a decodes at 20 tokens/s, b at 5: fractions 20 x bytes / 200 GB/s and 5 x bytes / 100 GB/s.
  a.measured.push_back(figure("llm_tg", 20, "tokens/s", {{"model", "llama-3.1-8b"}, {"quant", "Q4_0"}, {"tool", "llama.cpp"}, {"params", "tg128"}}));
  b.measured.push_back(figure("llm_tg", 5, "tokens/s", {{"model", "llama-3.1-8b"}, {"quant", "Q4_0"}, {"tool", "llama.cpp"}, {"params", "tg128"}}));
  const std::vector<catalog::System> cat = {a, b, g};
  const double bytes = model_cost("llama-3.1-8b", "q4_0")->decode_bytes(64);
  const auto for_a = kind_efficiency(cat, "apu", "llm_tg", "a");
  ASSERT_TRUE(for_a);
  EXPECT_NEAR(for_a->value, 5 * bytes / 100e9, 1e-12);  // b's run only
  EXPECT_EQ(for_a->runs, 1);
  // No other gpu published anything: every kind's llama.cpp runs, said so.
  const auto for_g = kind_efficiency(cat, "gpu", "llm_tg", "g");
  ASSERT_TRUE(for_g);
  EXPECT_EQ(for_g->runs, 2);
  EXPECT_NE(for_g->basis.find("every kind"), std::string::npos);
  EXPECT_FALSE(kind_efficiency(cat, "apu", "llm_pp", ""));  // no prefill published at all
}

TEST(PublishedRuns, ReadTheTestShapeAndSkipWhatCannotBeHeldToAProjection) {
  auto s = system("s", "gpu", 1000);
  s.measured.push_back(figure("llm_tg", 40, "tokens/s", {{"model", "gpt-oss-120b"}, {"quant", "MXFP4"}, {"params", "tg32 @ d8192"}, {"gpus", 3}}));
  s.measured.push_back(figure("llm_pp", 900, "tokens/s", {{"model", "Llama-3.1-8B"}, {"params", "pp2048"}, {"tool", "llama.cpp llama-bench"}}));
  s.measured.push_back(figure("llm_tg", 368, "tokens/s", {{"model", "Llama-3.1-8B"}, {"params", "batch 32, aggregate"}}));
  s.measured.push_back(figure("llm_tg", 10, "tokens/s", {{"model", "Qwen2.5-7B"}}));
  s.measured.push_back(figure("llm_tg", 10, "tokens/s", {{"model", "Llama-3.1-8B"}, {"quant", "IQ2_XXS"}}));
  const auto runs = published_runs({s});
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].workload.generate, 32);
  EXPECT_EQ(runs[0].workload.depth, 8192);
  EXPECT_EQ(runs[0].devices, 3);
  EXPECT_FALSE(runs[0].llama_cpp);
  EXPECT_EQ(runs[1].workload.prompt, 2048);
  EXPECT_TRUE(runs[1].quant_assumed);
  EXPECT_EQ(runs[1].cost.quant, "q4_k_m");
  EXPECT_TRUE(runs[1].llama_cpp);
}

// The bar: held against the shipped catalog's published llama.cpp decode figures, each
// projected without its own system's runs, the median absolute error is at most 25%.
TEST(CheckProjections, DecodeMedianErrorAgainstPublishedLlamaCppRunsIsAtMostAQuarter) {
  const auto catalog = catalog::load_catalog({catalog::default_catalog_dir()});
  std::vector<double> errors;
  for (const auto& c : check_projections(catalog))
    if (c.run.what == "llm_tg" && c.run.llama_cpp && c.error) errors.push_back(std::fabs(*c.error));
  ASSERT_GE(errors.size(), 5u) << "too few published llama.cpp decode runs to judge the model";
  EXPECT_LE(median(errors), 0.25) << "over " << errors.size() << " runs";
}

}  // namespace
}  // namespace specgap::analysis
