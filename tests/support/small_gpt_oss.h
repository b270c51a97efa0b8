#pragma once
// Small GPT-OSS shapes for the config, engine and CLI tests: GPT-OSS's sinks, biases and YaRN, 2 KV
// heads, and the first of each pair of layers on a sliding window of 8 positions.
#include "llm/presets.h"

namespace specgap::test {

inline llm::ModelConfig gpt_oss_shape(std::string name, int64_t embd, int64_t layers, int64_t heads, int64_t head_dim,
                                      int64_t vocab, llm::MoeConfig moe) {
  llm::ModelConfig c = *llm::find_preset("gpt-oss-20b");
  c.name = std::move(name);
  c.n_embd = embd;
  c.n_layer = layers;
  c.n_head = heads;
  c.n_head_kv = 2;
  c.head_dim = head_dim;
  c.n_rot = head_dim;
  c.n_vocab = vocab;
  c.moe = moe;
  c.sliding_window = 8;
  return c;
}

// The smallest GPT-OSS the engine takes: two layers, 4 heads of 16, 4 experts of which 2 are used.
inline llm::ModelConfig small_gpt_oss() { return gpt_oss_shape("tiny-gpt-oss", 64, 2, 4, 16, 300, {4, 2, 96}); }

}  // namespace specgap::test
