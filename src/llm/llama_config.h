#pragma once
// The hyper-parameters of a Llama 3.x model (reference/llm.md §3.3), read from GGUF metadata or
// taken from a preset, and checked before anything is sized from them: a file's counts are hostile
// until they pass validate().
#include <cstdint>
#include <string>
#include <vector>

namespace specgap::llm {

class GgufFile;

struct LlamaConfig {
  std::string name;  // the preset's name, or the file's general.name
  int64_t n_embd = 0, n_layer = 0, n_head = 0, n_head_kv = 0, head_dim = 0, n_ff = 0, n_vocab = 0, n_rot = 0;
  int64_t context_length = 0;
  double rope_theta = 500000, rms_eps = 1e-5;
  // Llama 3 frequency scaling (HF rope_scaling "llama3"); factor 1 means none.
  double rope_factor = 1, rope_low_freq_factor = 1, rope_high_freq_factor = 4;
  int64_t rope_original_context = 8192;
  bool tied_output = false;  // no output.weight: the token embedding is reused

  uint64_t parameter_count() const;
  // K and V per token in the cache, in elements (layers x 2 x kv heads x head_dim).
  int64_t kv_elements_per_token() const { return 2 * n_layer * n_head_kv * head_dim; }
};

// Reads llama.* keys (general.architecture must be "llama"); throws a one-line specgap::Error.
LlamaConfig config_from_gguf(const GgufFile& file);

// Throws when a size is zero, absurd, or inconsistent (heads not dividing, odd rotary dims, …).
void validate(const LlamaConfig& c);

// The per-frequency divisors Llama 3 ships as rope_freqs.weight (n_rot / 2 values).
std::vector<float> llama3_rope_freq_factors(const LlamaConfig& c);

}  // namespace specgap::llm
