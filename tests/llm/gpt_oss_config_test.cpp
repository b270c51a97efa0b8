// GPT-OSS's hyper-parameters and tensors: the presets' counts and sizes against OpenAI's and
// ggml-org's figures (reference/llm.md §3.4), a preset written as GGUF and read back, and files whose
// keys make no sense refused in one line.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <functional>
#include <string>

#include "core/error.h"
#include "llm/gguf_reader.h"
#include "llm/gguf_writer.h"
#include "llm/presets.h"
#include "llm/tensor_source.h"
#include "support/small_gpt_oss.h"
#include "support/temp_path.h"

namespace specgap::llm {
namespace {

ParallelFor serial() {
  return [](int64_t n, const std::function<void(int64_t)>& fn) {
    for (int64_t i = 0; i < n; ++i) fn(i);
  };
}

uint64_t file_bytes(const ModelConfig& c) {
  uint64_t total = 0;
  for (const auto& s : tensor_specs(c, GgmlType::mxfp4)) total += s.bytes();
  return total;
}

TEST(GptOssPresets, CountsAndSizesAreOpenAisAndGgmlOrgs) {
  const ModelConfig small = *find_preset("gpt-oss-20b"), big = *find_preset("gpt-oss-120b");
  EXPECT_EQ(small.arch, Architecture::gpt_oss);
  EXPECT_EQ(small.parameter_count(), 20914757184ull);      // llama-bench prints 20.91 B
  EXPECT_EQ(big.parameter_count(), 116829156672ull);       // 116.83 B
  EXPECT_EQ(small.active_parameter_count(), 3608307264ull);  // "3.6B active"
  EXPECT_NEAR(static_cast<double>(big.active_parameter_count()) / 1e9, 5.13, 0.01);
  EXPECT_NEAR(static_cast<double>(file_bytes(small)) / (1ull << 30), 11.27, 0.005);  // ggml-org's GGUF
  EXPECT_NEAR(static_cast<double>(file_bytes(big)) / (1ull << 30), 59.02, 0.005);
  // Even layers attend over the window, odd ones over everything.
  EXPECT_TRUE(small.sliding(0));
  EXPECT_FALSE(small.sliding(1));
  EXPECT_TRUE(small.sliding(22));
}

TEST(GptOssPresets, ComeInGgmlOrgsLayoutOnly) {
  const ModelConfig c = *find_preset("gpt-oss-20b");
  EXPECT_EQ(default_preset_quant(c), GgmlType::mxfp4);
  EXPECT_EQ(preset_quant_refusal(c, GgmlType::mxfp4), "");
  EXPECT_NE(preset_quant_refusal(c, GgmlType::q4_0).find("ggml-org's layout only"), std::string::npos);
  EXPECT_THROW(tensor_specs(c, GgmlType::q4_0), Error);
  for (const auto& s : tensor_specs(c, GgmlType::mxfp4)) {
    const bool expert_weight = s.name.find("_exps.weight") != std::string::npos;
    const bool f32 = s.dims.size() == 1 || s.name.find(".bias") != std::string::npos ||
                     s.name.find("ffn_gate_inp") != std::string::npos;
    EXPECT_EQ(s.type, expert_weight ? GgmlType::mxfp4 : f32 ? GgmlType::f32 : GgmlType::q8_0) << s.name;
  }
}

TEST(GptOssConfig, APresetWrittenAsGgufReadsBackTheSame) {
  const std::string path = specgap::test::temp_path("tiny-gpt-oss.gguf");
  PresetSource preset(test::small_gpt_oss(), GgmlType::mxfp4, 3, serial());
  write_preset_gguf(preset, path);
  GgufSource file(path);
  const ModelConfig& c = file.config();
  EXPECT_EQ(c.arch, Architecture::gpt_oss);
  EXPECT_EQ(c.n_embd, 64);
  EXPECT_EQ(c.n_layer, 2);
  EXPECT_EQ(c.n_head, 4);
  EXPECT_EQ(c.n_head_kv, 2);
  EXPECT_EQ(c.head_dim, 16);
  EXPECT_EQ(c.n_vocab, 300);
  EXPECT_EQ(c.moe.n_expert, 4);
  EXPECT_EQ(c.moe.n_expert_used, 2);
  EXPECT_EQ(c.moe.n_ff_exp, 96);
  EXPECT_EQ(c.sliding_window, 8);
  EXPECT_DOUBLE_EQ(c.rope_theta, 150000);
  EXPECT_DOUBLE_EQ(c.yarn.factor, 32);
  EXPECT_DOUBLE_EQ(c.yarn.original_context, 4096);
  EXPECT_FALSE(c.tied_output);
  EXPECT_EQ(c.parameter_count(), test::small_gpt_oss().parameter_count());
  // Every tensor, its type, shape and bytes as the preset made them.
  for (const auto& s : preset.specs()) {
    const auto got = file.spec(s.name);
    ASSERT_TRUE(got) << s.name;
    EXPECT_EQ(got->type, s.type) << s.name;
    EXPECT_EQ(got->dims, s.dims) << s.name;
    std::vector<std::byte> want(s.bytes());
    preset.generate(s, want.data());
    file.read(s.name, [&](const void* data) { EXPECT_EQ(0, std::memcmp(data, want.data(), want.size())) << s.name; });
  }
  std::remove(path.c_str());
}

// A GGUF of the tiny model's keys with one key changed or dropped: config_from_gguf's error.
std::string refusal(const std::function<void(GgufWriter&)>& change) {
  GgufWriter w;
  w.set_string("general.architecture", "gpt-oss");
  w.set_u32("gpt-oss.embedding_length", 64);
  w.set_u32("gpt-oss.block_count", 2);
  w.set_u32("gpt-oss.attention.head_count", 4);
  w.set_u32("gpt-oss.attention.head_count_kv", 2);
  w.set_u32("gpt-oss.attention.key_length", 16);
  w.set_u32("gpt-oss.vocab_size", 300);
  w.set_u32("gpt-oss.expert_feed_forward_length", 96);
  w.set_u32("gpt-oss.attention.sliding_window", 8);
  w.set_string("gpt-oss.rope.scaling.type", "yarn");
  w.set_f32("gpt-oss.rope.scaling.factor", 32);
  change(w);
  try {
    config_from_gguf(GgufFile::from_bytes(w.to_bytes(), "hostile.gguf"));
    return "";
  } catch (const Error& e) {
    return e.what();
  }
}

TEST(GptOssConfig, KeysThatMakeNoSenseAreRefusedInOneLine) {
  auto with = [](uint32_t experts, uint32_t used) {
    return [=](GgufWriter& w) {
      w.set_u32("gpt-oss.expert_count", experts);
      w.set_u32("gpt-oss.expert_used_count", used);
    };
  };
  EXPECT_EQ(refusal(with(4, 2)), "");  // the well-formed file
  EXPECT_NE(refusal(with(0, 0)).find("expert_count = 0 is out of range"), std::string::npos) << refusal(with(0, 0));
  EXPECT_NE(refusal(with(4, 5)).find("5 experts used per token, but only 4 exist"), std::string::npos);
  EXPECT_NE(refusal([](GgufWriter& w) { w.set_u32("gpt-oss.expert_used_count", 2); }).find("missing key gpt-oss.expert_count"),
            std::string::npos);
  auto window = [&](uint32_t n) {
    return refusal([&](GgufWriter& w) {
      with(4, 2)(w);
      w.set_u32("gpt-oss.attention.sliding_window", n);
    });
  };
  EXPECT_NE(window(0).find("sliding_window = 0 is out of range"), std::string::npos) << window(0);
  const std::string other_rope = refusal([&](GgufWriter& w) {
    with(4, 2)(w);
    w.set_string("gpt-oss.rope.scaling.type", "linear");
  });
  EXPECT_NE(other_rope.find("is not yarn"), std::string::npos) << other_rope;
  const std::string wide_values = refusal([&](GgufWriter& w) {
    with(4, 2)(w);
    w.set_u32("gpt-oss.attention.value_length", 32);
  });
  EXPECT_NE(wide_values.find("gpt-oss.attention.value_length differs from key_length"), std::string::npos) << wide_values;
  const std::string other_arch = refusal([](GgufWriter& w) { w.set_string("general.architecture", "mamba"); });
  EXPECT_NE(other_arch.find("architecture 'mamba' is not supported (llama and gpt-oss are)"), std::string::npos) << other_arch;
  for (const std::string& e : {refusal(with(0, 0)), refusal(with(4, 5)), window(0), other_rope, wide_values})
    EXPECT_EQ(e.find('\n'), std::string::npos) << e;
}

}  // namespace
}  // namespace specgap::llm
