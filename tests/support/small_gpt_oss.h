#pragma once
// The smallest GPT-OSS the engine takes, shared by the config, engine and CLI tests: two layers (the
// first on a sliding window of 8 positions), 4 heads over 2 KV heads, 4 experts of which 2 are used,
// and GPT-OSS's sinks, biases and YaRN.
#include "llm/presets.h"

namespace specgap::test {

inline llm::ModelConfig small_gpt_oss() {
  llm::ModelConfig c = *llm::find_preset("gpt-oss-20b");
  c.name = "tiny-gpt-oss";
  c.n_embd = 64;
  c.n_layer = 2;
  c.n_head = 4;
  c.n_head_kv = 2;
  c.head_dim = 16;
  c.n_rot = 16;
  c.n_vocab = 300;
  c.moe = {4, 2, 96};
  c.sliding_window = 8;
  return c;
}

}  // namespace specgap::test
