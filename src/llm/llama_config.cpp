#include "llm/arch_configs.h"
#include "llm/model_config.h"

#include <cmath>
#include <numbers>

#include "core/error.h"
#include "llm/gguf_reader.h"

namespace specgap::llm {

ModelConfig llama_config_from_gguf(const GgufFile& f) {
  ModelConfig c;
  c.arch = Architecture::llama;
  c.name = std::string(f.get_string("general.name").value_or("llama"));
  c.n_embd = required_key(f, "llama.embedding_length");
  c.n_layer = required_key(f, "llama.block_count");
  c.n_head = required_key(f, "llama.attention.head_count");
  c.n_head_kv = optional_key(f, "llama.attention.head_count_kv", c.n_head);
  c.n_ff = required_key(f, "llama.feed_forward_length");
  c.context_length = optional_key(f, "llama.context_length", 8192);
  if (c.n_head == 0) throw Error("gguf: " + f.label() + ": llama.attention.head_count is 0");
  c.head_dim = optional_key(f, "llama.attention.key_length", c.n_embd / c.n_head);
  c.n_rot = optional_key(f, "llama.rope.dimension_count", c.head_dim);
  if (auto v = f.get_uint("llama.vocab_size")) c.n_vocab = static_cast<int64_t>(*v);
  else if (auto n = f.array_length("tokenizer.ggml.tokens")) c.n_vocab = static_cast<int64_t>(*n);
  else if (const auto* t = f.find_tensor("token_embd.weight")) c.n_vocab = static_cast<int64_t>(t->ne[1]);
  c.rope_theta = f.get_float("llama.rope.freq_base").value_or(10000.0);
  c.rms_eps = f.get_float("llama.attention.layer_norm_rms_epsilon").value_or(1e-5);
  c.tied_output = f.find_tensor("output.weight") == nullptr;
  return c;
}

std::vector<float> llama3_rope_freq_factors(const ModelConfig& c) {
  // Meta's apply_scaling, as llama.cpp's converter writes it into rope_freqs.weight: wavelengths
  // shorter than orig/high keep their frequency, longer than orig/low are divided by the factor,
  // and those between are blended smoothly.
  std::vector<float> f(c.n_rot / 2, 1.0f);
  if (c.rope_factor == 1) return f;
  const double low_wavelen = c.rope_original_context / c.rope_low_freq_factor;
  const double high_wavelen = c.rope_original_context / c.rope_high_freq_factor;
  for (int64_t i = 0; i < c.n_rot / 2; ++i) {
    const double freq = 1.0 / std::pow(c.rope_theta, 2.0 * i / c.n_rot);
    const double wavelen = 2 * std::numbers::pi / freq;
    if (wavelen < high_wavelen) continue;
    if (wavelen > low_wavelen) {
      f[i] = static_cast<float>(c.rope_factor);
      continue;
    }
    const double smooth = (c.rope_original_context / wavelen - c.rope_low_freq_factor) /
                          (c.rope_high_freq_factor - c.rope_low_freq_factor);
    f[i] = static_cast<float>(1.0 / ((1 - smooth) / c.rope_factor + smooth));
  }
  return f;
}

}  // namespace specgap::llm
