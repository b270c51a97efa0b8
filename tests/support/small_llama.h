#pragma once
// The smallest Llama the engine takes, shared by the engine, kernel-check and bench tests: two layers,
// grouped-query attention (4 heads over 2 KV heads), and a vocabulary of 272, which is not a multiple
// of 16, so the last packed row group of the output matrix is partial.
#include "llm/model_config.h"

namespace specgap::test {

inline llm::ModelConfig small_llama(int64_t context = 64) {
  llm::ModelConfig c;
  c.name = "small";
  c.n_embd = 256;
  c.n_layer = 2;
  c.n_head = 4;
  c.n_head_kv = 2;
  c.head_dim = 64;
  c.n_rot = 64;
  c.n_ff = 512;
  c.n_vocab = 272;
  c.context_length = context;
  return c;
}

}  // namespace specgap::test
