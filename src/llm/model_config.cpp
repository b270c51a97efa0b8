#include "llm/model_config.h"

#include <cmath>
#include <string>

#include "core/error.h"
#include "llm/arch_configs.h"
#include "llm/gguf_reader.h"

namespace specgap::llm {
namespace {
// Far above any released model, far below what would overflow the sizes computed from them.
constexpr int64_t kMaxDim = 1 << 20, kMaxLayers = 4096, kMaxVocab = 1 << 24, kMaxExperts = 1 << 12;

uint64_t attention_parameters(const ModelConfig& c) {
  const uint64_t e = c.n_embd, q = c.n_head * c.head_dim, kv = c.n_head_kv * c.head_dim;
  uint64_t n = e * q + 2 * e * kv + q * e;
  if (c.arch == Architecture::gpt_oss) n += q + 2 * kv + e + c.n_head;  // biases, sinks
  return n;
}

// One expert's gate, up and down projections with their biases.
uint64_t expert_parameters(const ModelConfig& c) {
  const uint64_t e = c.n_embd, f = c.moe.n_ff_exp;
  return 2 * (e * f + f) + (f * e + e);
}

// The layer's FFN parameters when `experts` experts are counted (all, or those a token uses).
uint64_t ffn_parameters(const ModelConfig& c, uint64_t experts) {
  if (c.arch == Architecture::llama) return 3 * static_cast<uint64_t>(c.n_embd) * c.n_ff;
  const uint64_t router = static_cast<uint64_t>(c.n_embd) * c.moe.n_expert + c.moe.n_expert;
  return router + experts * expert_parameters(c);
}
}  // namespace

std::string_view to_string(Architecture a) { return a == Architecture::llama ? "llama" : "gpt-oss"; }

uint64_t ModelConfig::parameter_count() const {
  const uint64_t e = n_embd;
  const uint64_t experts = arch == Architecture::gpt_oss ? moe.n_expert : 0;
  const uint64_t per_layer = attention_parameters(*this) + ffn_parameters(*this, experts) + 2 * e;
  return n_layer * per_layer + e * n_vocab * (tied_output ? 1 : 2) + e;
}

uint64_t ModelConfig::active_parameter_count() const {
  const uint64_t e = n_embd;
  const uint64_t experts = arch == Architecture::gpt_oss ? moe.n_expert_used : 0;
  const uint64_t per_layer = attention_parameters(*this) + ffn_parameters(*this, experts) + 2 * e;
  return n_layer * per_layer + e * n_vocab + e;
}

int64_t optional_key(const GgufFile& f, const std::string& key, int64_t fallback, int64_t max) {
  const auto v = f.get_uint(key);
  if (!v) return fallback;
  if (*v > static_cast<uint64_t>(max))
    throw Error("gguf: " + f.label() + ": " + key + " = " + std::to_string(*v) + " is out of range");
  return static_cast<int64_t>(*v);
}

int64_t required_key(const GgufFile& f, const std::string& key, int64_t max) {
  if (!f.get_uint(key)) throw Error("gguf: " + f.label() + ": missing key " + key);
  return optional_key(f, key, 0, max);
}

ModelConfig transformer_config_from_gguf(const GgufFile& f, Architecture a, int64_t default_context, double default_theta) {
  const std::string arch(to_string(a));
  ModelConfig c;
  c.arch = a;
  c.name = std::string(f.get_string("general.name").value_or(arch));
  c.n_embd = required_key(f, arch + ".embedding_length");
  c.n_layer = required_key(f, arch + ".block_count");
  c.n_head = required_key(f, arch + ".attention.head_count");
  c.n_head_kv = optional_key(f, arch + ".attention.head_count_kv", c.n_head);
  if (c.n_head == 0) throw Error("gguf: " + f.label() + ": " + arch + ".attention.head_count is 0");
  c.head_dim = optional_key(f, arch + ".attention.key_length", c.n_embd / c.n_head);
  // The engines take one head width for keys and values.
  if (optional_key(f, arch + ".attention.value_length", c.head_dim) != c.head_dim)
    throw Error("gguf: " + f.label() + ": " + arch + ".attention.value_length differs from key_length");
  c.n_rot = optional_key(f, arch + ".rope.dimension_count", c.head_dim);
  c.context_length = optional_key(f, arch + ".context_length", default_context);
  if (auto v = f.get_uint(arch + ".vocab_size")) c.n_vocab = static_cast<int64_t>(*v);
  else if (auto n = f.array_length("tokenizer.ggml.tokens")) c.n_vocab = static_cast<int64_t>(*n);
  else if (const auto* t = f.find_tensor("token_embd.weight")) c.n_vocab = static_cast<int64_t>(t->ne[1]);
  c.rope_theta = f.get_float(arch + ".rope.freq_base").value_or(default_theta);
  c.rms_eps = f.get_float(arch + ".attention.layer_norm_rms_epsilon").value_or(1e-5);
  c.tied_output = f.find_tensor("output.weight") == nullptr;
  return c;
}

ModelConfig config_from_gguf(const GgufFile& f) {
  const auto arch = f.get_string("general.architecture");
  if (!arch) throw Error("gguf: " + f.label() + ": no general.architecture; not a model file");
  ModelConfig c;
  if (*arch == "llama") c = llama_config_from_gguf(f);
  else if (*arch == "gpt-oss") c = gpt_oss_config_from_gguf(f);
  else throw Error("gguf: " + f.label() + ": architecture '" + std::string(*arch) + "' is not supported (llama and gpt-oss are)");
  validate(c);
  return c;
}

void validate(const ModelConfig& c) {
  auto fail = [&](const std::string& what) { throw Error("model " + c.name + ": " + what); };
  auto in_range = [&](const char* what, int64_t v, int64_t max) {
    if (v <= 0 || v > max) fail(std::string(what) + " = " + std::to_string(v) + " is out of range (1.." + std::to_string(max) + ")");
  };
  in_range("n_embd", c.n_embd, kMaxDim);
  in_range("n_layer", c.n_layer, kMaxLayers);
  in_range("n_head", c.n_head, 4096);
  in_range("n_head_kv", c.n_head_kv, 4096);
  in_range("head_dim", c.head_dim, 1024);
  in_range("n_vocab", c.n_vocab, kMaxVocab);
  in_range("n_rot", c.n_rot, c.head_dim);
  if (c.n_head % c.n_head_kv != 0) fail("n_head " + std::to_string(c.n_head) + " is not a multiple of n_head_kv " + std::to_string(c.n_head_kv));
  if (c.n_rot % 2 != 0) fail("rotary dimension " + std::to_string(c.n_rot) + " is odd");
  if (c.head_dim % 16 != 0) fail("head_dim " + std::to_string(c.head_dim) + " is not a multiple of 16");
  if (!(c.rope_theta > 0) || !std::isfinite(c.rope_theta)) fail("rope frequency base is not a positive number");
  if (!(c.rms_eps > 0) || c.rms_eps > 1) fail("RMS norm epsilon is out of range");
  if (c.arch == Architecture::llama) {
    in_range("n_ff", c.n_ff, kMaxDim);
    return;
  }
  in_range("expert_count", c.moe.n_expert, kMaxExperts);
  in_range("expert_used_count", c.moe.n_expert_used, kMaxExperts);
  if (c.moe.n_expert_used > c.moe.n_expert)
    fail(std::to_string(c.moe.n_expert_used) + " experts used per token, but only " + std::to_string(c.moe.n_expert) + " exist");
  in_range("expert_feed_forward_length", c.moe.n_ff_exp, kMaxDim);
  in_range("sliding_window", c.sliding_window, kMaxDim);
  if (!(c.yarn.factor >= 1) || !std::isfinite(c.yarn.factor) || c.yarn.factor > 1024)
    fail("YaRN scaling factor is out of range (1..1024)");
  if (!(c.yarn.original_context >= 1) || c.yarn.original_context > kMaxDim)
    fail("YaRN original context is out of range");
  if (!(c.yarn.beta_fast > c.yarn.beta_slow) || !(c.yarn.beta_slow > 0) || !std::isfinite(c.yarn.beta_fast))
    fail("YaRN betas are out of range (0 < beta_slow < beta_fast)");
}

}  // namespace specgap::llm
