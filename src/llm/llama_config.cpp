#include "llm/arch_configs.h"
#include "llm/model_config.h"

#include <cmath>
#include <numbers>

#include "llm/gguf_reader.h"

namespace specgap::llm {

ModelConfig llama_config_from_gguf(const GgufFile& f) {
  ModelConfig c = transformer_config_from_gguf(f, Architecture::llama, 8192, 10000.0);
  c.n_ff = required_key(f, "llama.feed_forward_length");
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
