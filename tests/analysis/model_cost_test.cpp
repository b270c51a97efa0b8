// What a token costs a model, checked against the sizes of real files and the parameter counts
// published for each architecture.
#include <gtest/gtest.h>

#include "analysis/model_cost.h"

namespace specgap::analysis {
namespace {

constexpr double GiB = 1024.0 * 1024 * 1024;

TEST(ModelCost, GptOssFilesHaveTheSizeOfGgmlOrgsGguf) {
  // ggml-org/gpt-oss-120b-GGUF is 59.02 GiB and gpt-oss-20b 11.27 GiB (llama.cpp benches/dgx-spark.md).
  const auto big = model_cost("gpt-oss-120b", "MXFP4");
  const auto small = model_cost("gpt-oss-20b", "mxfp4");
  ASSERT_TRUE(big && small);
  EXPECT_NEAR(big->weight_bytes / GiB, 59.02, 0.59);
  EXPECT_NEAR(small->weight_bytes / GiB, 11.27, 0.12);
  // llama-bench prints 116.83 B and 20.91 B parameters; OpenAI: 5.1B and 3.6B active.
  EXPECT_NEAR(big->parameters / 1e9, 116.83, 0.2);
  EXPECT_NEAR(small->parameters / 1e9, 20.91, 0.1);
  EXPECT_NEAR(big->active_parameters / 1e9, 5.13, 0.1);
  EXPECT_NEAR(small->active_parameters / 1e9, 3.61, 0.1);
}

TEST(ModelCost, DecodeReadsOnlyTheRoutedExperts) {
  const auto c = *model_cost("gpt-oss-120b", "mxfp4");
  // 4 of 128 experts: a decode step reads a small part of the file.
  EXPECT_LT(c.decode_weight_bytes, 0.07 * c.weight_bytes);
  EXPECT_GT(c.decode_weight_bytes, 3e9);
  EXPECT_DOUBLE_EQ(c.matmul_flops, 2 * c.active_parameters);
}

TEST(ModelCost, LlamaQ4KMMatchesTheFileAndSkipsTheEmbeddingTable) {
  // Meta-Llama-3.1-8B Q4_K_M GGUFs are 4.92 GB (4.58 GiB); llama-bench counts 8.03 B parameters.
  const auto c = model_cost("Meta-Llama-3.1-8B-Instruct", "Q4_K_M");
  ASSERT_TRUE(c);
  EXPECT_NEAR(c->weight_bytes / 1e9, 4.92, 0.05);
  EXPECT_NEAR(c->parameters / 1e9, 8.03, 0.01);
  // Untied: a token reads one embedding row, not the 128256 x 4096 table.
  // (The rest of the difference is the f32 norm vectors, which are not matrices.)
  EXPECT_NEAR(c->weight_bytes - c->decode_weight_bytes, 128256.0 * 4096 * 144 / 256, 65 * 4096 * 4 + 256);
}

TEST(ModelCost, TiedEmbeddingIsReadAsTheOutputProjection) {
  const auto c = *model_cost("llama-3.2-1b", "q8_0");
  EXPECT_NEAR(c.decode_weight_bytes, c.weight_bytes, 0.001 * c.weight_bytes);
}

TEST(ModelCost, ContextAddsKvCacheAndSlidingWindowsStopGrowing) {
  const auto llama = *model_cost("llama-3.1-8b", "q4_0");
  EXPECT_DOUBLE_EQ(llama.kv_bytes(1000), 1000 * 131072.0);  // 128 KiB per token at f16
  const auto oss = *model_cost("gpt-oss-120b", "mxfp4");
  // 18 full layers grow; 18 window layers hold 128 positions at most.
  EXPECT_DOUBLE_EQ(oss.kv_bytes(10000) - oss.kv_bytes(9000), 1000 * 18 * 2 * 512 * 2.0);
  EXPECT_DOUBLE_EQ(oss.kv_bytes(128), 128 * 18 * 2 * 512 * 2.0 + 128 * 18 * 2 * 512 * 2.0);
  EXPECT_GT(oss.decode_bytes(32768), oss.decode_bytes(0) + 1e9);
  EXPECT_GT(oss.token_flops(4096), oss.token_flops(0));
}

TEST(ModelCost, NamesAsSourcesWriteThem) {
  EXPECT_EQ(canonical_model("Meta-Llama-3-70B"), "llama-3.3-70b");
  EXPECT_EQ(canonical_model("Llama-3.1-8B-Instruct"), "llama-3.1-8b");
  EXPECT_EQ(canonical_model("Llama-3.2-3B"), "llama-3.2-3b");
  EXPECT_EQ(canonical_model("gpt-oss-120b"), "gpt-oss-120b");
  EXPECT_FALSE(canonical_model("Qwen2.5-Coder-7B"));
  EXPECT_FALSE(canonical_model("llama-3.1-8bx"));
  EXPECT_EQ(canonical_quant("gpt-oss-20b", "F16 (MXFP4 experts)"), "mxfp4-f16");
  EXPECT_EQ(canonical_quant("llama-3.1-8b", "Q4_K_M"), "q4_k_m");
  EXPECT_FALSE(canonical_quant("llama-3.1-8b", "mxfp4"));  // no Llama ships so
  EXPECT_FALSE(canonical_quant("gpt-oss-20b", "q4_0"));
  EXPECT_FALSE(model_cost("llama-3.1-8b", "iq2_xxs"));
  EXPECT_EQ(default_quant("gpt-oss-20b"), "mxfp4");
  EXPECT_EQ(default_quant("llama-3.1-8b"), "q4_k_m");
}

TEST(ModelCost, APromptTokenSkipsTheOutputProjection) {
  const auto c = *model_cost("llama-3.2-1b", "q4_0");
  EXPECT_DOUBLE_EQ(c.output_flops, 2.0 * 2048 * 128256);  // tied: the embedding is the output
  EXPECT_DOUBLE_EQ(c.token_flops(0) - c.prompt_token_flops(0), c.output_flops);
  EXPECT_DOUBLE_EQ(model_cost("gpt-oss-120b", "mxfp4")->output_flops, 2.0 * 2880 * 201088);
}

TEST(ModelCost, Fp8HalvesTheBytesOfF16) {
  const auto fp8 = *model_cost("llama-3.1-8b", "fp8");
  const auto f16 = *model_cost("llama-3.1-8b", "f16");
  EXPECT_LT(fp8.decode_weight_bytes, 0.6 * f16.decode_weight_bytes);
  EXPECT_GT(fp8.decode_weight_bytes, 0.5 * f16.decode_weight_bytes);
  EXPECT_DOUBLE_EQ(fp8.matmul_flops, f16.matmul_flops);
}

}  // namespace
}  // namespace specgap::analysis
