#pragma once
// The hyper-parameters of a model the engine runs (reference/llm.md §3.3, §3.4), read from GGUF
// metadata or taken from a preset, and checked before anything is sized from them: a file's counts
// are hostile until they pass validate(). One struct for every architecture: the fields all share
// first, then each architecture's own (llama_config.cpp, gpt_oss_config.cpp read them).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace specgap::llm {

class GgufFile;

enum class Architecture { llama, gpt_oss };
// GGUF's general.architecture and key prefix: "llama", "gpt-oss".
std::string_view to_string(Architecture a);

// GPT-OSS's mixture of experts: a router picks n_expert_used of n_expert SwiGLU-OAI experts per
// token (their FFN width n_ff_exp), with biases on every linear.
struct MoeConfig {
  int64_t n_expert = 0, n_expert_used = 0, n_ff_exp = 0;
};

// YaRN rope scaling (OpenAI's RotaryEmbedding; GGUF rope.scaling.*): factor 1 means none.
struct YarnConfig {
  double factor = 1, original_context = 4096, beta_fast = 32, beta_slow = 1;
};

struct ModelConfig {
  Architecture arch = Architecture::llama;
  std::string name;  // the preset's name, or the file's general.name
  int64_t n_embd = 0, n_layer = 0, n_head = 0, n_head_kv = 0, head_dim = 0, n_ff = 0, n_vocab = 0, n_rot = 0;
  int64_t context_length = 0;
  double rope_theta = 500000, rms_eps = 1e-5;
  // Llama 3 frequency scaling (HF rope_scaling "llama3"); factor 1 means none.
  double rope_factor = 1, rope_low_freq_factor = 1, rope_high_freq_factor = 4;
  int64_t rope_original_context = 8192;
  bool tied_output = false;  // no output.weight: the token embedding is reused

  // GPT-OSS: experts instead of a dense FFN (n_ff is then 0), attention on a sliding window of
  // `sliding_window` positions on even layers (full on odd ones), one sink logit per head, YaRN.
  MoeConfig moe;
  int64_t sliding_window = 0;
  YarnConfig yarn;

  uint64_t parameter_count() const;
  // Of those, the ones a token's forward pass multiplies by (the used experts only; the embedding row
  // it reads not counted, the unembedding counted).
  uint64_t active_parameter_count() const;
  // K and V per token in the cache, in elements (layers x 2 x kv heads x head_dim).
  int64_t kv_elements_per_token() const { return 2 * n_layer * n_head_kv * head_dim; }
  // Whether layer l attends over a sliding window (GPT-OSS's even layers).
  bool sliding(int64_t layer) const { return sliding_window > 0 && layer % 2 == 0; }
};

// Reads the keys of the file's general.architecture (llama or gpt-oss); throws a one-line
// specgap::Error for another architecture, a missing key or a value out of range.
ModelConfig config_from_gguf(const GgufFile& file);

// Throws when a size is zero, absurd, or inconsistent (heads not dividing, odd rotary dims, more
// experts used than exist, …).
void validate(const ModelConfig& c);

// The per-frequency divisors Llama 3 ships as rope_freqs.weight (n_rot / 2 values).
std::vector<float> llama3_rope_freq_factors(const ModelConfig& c);

}  // namespace specgap::llm
