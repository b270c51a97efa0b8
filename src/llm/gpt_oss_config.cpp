// GPT-OSS's GGUF keys (reference/llm.md §3.1, §3.4), as llama.cpp's converter writes them.
#include <string>

#include "core/error.h"
#include "llm/arch_configs.h"
#include "llm/gguf_reader.h"

namespace specgap::llm {

ModelConfig gpt_oss_config_from_gguf(const GgufFile& f) {
  ModelConfig c;
  c.arch = Architecture::gpt_oss;
  c.name = std::string(f.get_string("general.name").value_or("gpt-oss"));
  c.n_embd = required_key(f, "gpt-oss.embedding_length");
  c.n_layer = required_key(f, "gpt-oss.block_count");
  c.n_head = required_key(f, "gpt-oss.attention.head_count");
  c.n_head_kv = optional_key(f, "gpt-oss.attention.head_count_kv", c.n_head);
  if (c.n_head == 0) throw Error("gguf: " + f.label() + ": gpt-oss.attention.head_count is 0");
  c.head_dim = optional_key(f, "gpt-oss.attention.key_length", c.n_embd / c.n_head);
  if (optional_key(f, "gpt-oss.attention.value_length", c.head_dim) != c.head_dim)
    throw Error("gguf: " + f.label() + ": gpt-oss.attention.value_length differs from key_length");
  c.n_rot = optional_key(f, "gpt-oss.rope.dimension_count", c.head_dim);
  c.context_length = optional_key(f, "gpt-oss.context_length", 131072);
  if (auto v = f.get_uint("gpt-oss.vocab_size")) c.n_vocab = static_cast<int64_t>(*v);
  else if (auto n = f.array_length("tokenizer.ggml.tokens")) c.n_vocab = static_cast<int64_t>(*n);
  else if (const auto* t = f.find_tensor("token_embd.weight")) c.n_vocab = static_cast<int64_t>(t->ne[1]);
  c.rope_theta = f.get_float("gpt-oss.rope.freq_base").value_or(150000.0);
  c.rms_eps = f.get_float("gpt-oss.attention.layer_norm_rms_epsilon").value_or(1e-5);
  c.moe.n_expert = required_key(f, "gpt-oss.expert_count");
  c.moe.n_expert_used = required_key(f, "gpt-oss.expert_used_count");
  c.moe.n_ff_exp = required_key(f, "gpt-oss.expert_feed_forward_length");
  // A missing window would silently make every layer full attention: a different model.
  c.sliding_window = required_key(f, "gpt-oss.attention.sliding_window");
  if (const auto pattern = optional_key(f, "gpt-oss.attention.sliding_window_pattern", 2); pattern != 2)
    throw Error("gguf: " + f.label() + ": gpt-oss.attention.sliding_window_pattern " + std::to_string(pattern) +
                " is not GPT-OSS's 2 (a window on every other layer)");
  const auto scaling = f.get_string("gpt-oss.rope.scaling.type");
  if (scaling && *scaling != "yarn" && *scaling != "none")
    throw Error("gguf: " + f.label() + ": gpt-oss.rope.scaling.type '" + std::string(*scaling) + "' is not yarn");
  if (scaling && *scaling == "yarn") {
    c.yarn.factor = f.get_float("gpt-oss.rope.scaling.factor").value_or(1.0);
    c.yarn.original_context = static_cast<double>(optional_key(f, "gpt-oss.rope.scaling.original_context_length", 4096));
    c.yarn.beta_fast = f.get_float("gpt-oss.rope.scaling.yarn_beta_fast").value_or(32.0);
    c.yarn.beta_slow = f.get_float("gpt-oss.rope.scaling.yarn_beta_slow").value_or(1.0);
  }
  c.tied_output = f.find_tensor("output.weight") == nullptr;
  return c;
}

}  // namespace specgap::llm
