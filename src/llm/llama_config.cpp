#include "llm/llama_config.h"

#include <cmath>
#include <numbers>

#include "core/error.h"
#include "llm/gguf_reader.h"

namespace specgap::llm {
namespace {
// Far above any released Llama, far below what would overflow the sizes computed from them.
constexpr int64_t kMaxDim = 1 << 20, kMaxLayers = 4096, kMaxVocab = 1 << 24;

int64_t required(const GgufFile& f, const std::string& key) {
  auto v = f.get_uint(key);
  if (!v) throw Error("gguf: " + f.label() + ": missing key " + key);
  if (*v > static_cast<uint64_t>(kMaxVocab)) throw Error("gguf: " + f.label() + ": " + key + " = " + std::to_string(*v) + " is out of range");
  return static_cast<int64_t>(*v);
}
}  // namespace

uint64_t LlamaConfig::parameter_count() const {
  const uint64_t e = n_embd, q = n_head * head_dim, kv = n_head_kv * head_dim;
  const uint64_t per_layer = e * q + 2 * e * kv + q * e + 3 * e * n_ff + 2 * e;
  return n_layer * per_layer + e * n_vocab * (tied_output ? 1 : 2) + e;
}

LlamaConfig config_from_gguf(const GgufFile& f) {
  const auto arch = f.get_string("general.architecture");
  if (!arch) throw Error("gguf: " + f.label() + ": no general.architecture; not a model file");
  if (*arch != "llama")
    throw Error("gguf: " + f.label() + ": architecture '" + std::string(*arch) + "' is not supported (llama is)");
  LlamaConfig c;
  c.name = std::string(f.get_string("general.name").value_or("llama"));
  c.n_embd = required(f, "llama.embedding_length");
  c.n_layer = required(f, "llama.block_count");
  c.n_head = required(f, "llama.attention.head_count");
  c.n_head_kv = static_cast<int64_t>(f.get_uint("llama.attention.head_count_kv").value_or(c.n_head));
  c.n_ff = required(f, "llama.feed_forward_length");
  c.context_length = static_cast<int64_t>(f.get_uint("llama.context_length").value_or(8192));
  if (c.n_head == 0) throw Error("gguf: " + f.label() + ": llama.attention.head_count is 0");
  c.head_dim = static_cast<int64_t>(f.get_uint("llama.attention.key_length").value_or(c.n_embd / c.n_head));
  c.n_rot = static_cast<int64_t>(f.get_uint("llama.rope.dimension_count").value_or(c.head_dim));
  if (auto v = f.get_uint("llama.vocab_size")) c.n_vocab = static_cast<int64_t>(*v);
  else if (auto n = f.array_length("tokenizer.ggml.tokens")) c.n_vocab = static_cast<int64_t>(*n);
  else if (const auto* t = f.find_tensor("token_embd.weight")) c.n_vocab = static_cast<int64_t>(t->ne[1]);
  c.rope_theta = f.get_float("llama.rope.freq_base").value_or(10000.0);
  c.rms_eps = f.get_float("llama.attention.layer_norm_rms_epsilon").value_or(1e-5);
  c.tied_output = f.find_tensor("output.weight") == nullptr;
  validate(c);
  return c;
}

void validate(const LlamaConfig& c) {
  auto fail = [&](const std::string& what) { throw Error("model " + c.name + ": " + what); };
  auto in_range = [&](const char* what, int64_t v, int64_t max) {
    if (v <= 0 || v > max) fail(std::string(what) + " = " + std::to_string(v) + " is out of range (1.." + std::to_string(max) + ")");
  };
  in_range("n_embd", c.n_embd, kMaxDim);
  in_range("n_layer", c.n_layer, kMaxLayers);
  in_range("n_head", c.n_head, 4096);
  in_range("n_head_kv", c.n_head_kv, 4096);
  in_range("head_dim", c.head_dim, 1024);
  in_range("n_ff", c.n_ff, kMaxDim);
  in_range("n_vocab", c.n_vocab, kMaxVocab);
  in_range("n_rot", c.n_rot, c.head_dim);
  if (c.n_head % c.n_head_kv != 0) fail("n_head " + std::to_string(c.n_head) + " is not a multiple of n_head_kv " + std::to_string(c.n_head_kv));
  if (c.n_rot % 2 != 0) fail("rotary dimension " + std::to_string(c.n_rot) + " is odd");
  if (c.head_dim % 16 != 0) fail("head_dim " + std::to_string(c.head_dim) + " is not a multiple of 16");
  if (!(c.rope_theta > 0) || !std::isfinite(c.rope_theta)) fail("rope frequency base is not a positive number");
  if (!(c.rms_eps > 0) || c.rms_eps > 1) fail("RMS norm epsilon is out of range");
}

std::vector<float> llama3_rope_freq_factors(const LlamaConfig& c) {
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
