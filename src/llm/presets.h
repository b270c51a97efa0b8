#pragma once
// Model presets: the true shapes of released Llama 3.x models (reference/llm.md §3.3) with random
// weights, so a machine can be measured on a real architecture without downloading a model. The
// tensor list and the type each tensor gets follow llama.cpp's quantiser, so a preset "q4_0" has the
// same bytes per token as a llama.cpp Q4_0 file of that model.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ggml_type.h"
#include "llm/model_config.h"

namespace specgap::llm {

std::optional<ModelConfig> find_preset(std::string_view name);
std::vector<std::string> preset_names();

// The quantisations a preset can be made in: "f32", "f16", "bf16", "q8_0", "q4_0", "q4_k" (llama.cpp's
// Q4_K_M mix), "q6_k", "mxfp4" (every layer matrix MXFP4, embedding and output Q8_0). nullopt for
// anything else.
std::optional<GgmlType> parse_preset_quant(std::string_view name);

struct TensorSpec {
  std::string name;
  GgmlType type;
  std::vector<uint64_t> dims;  // ne[0] first
  uint64_t bytes() const;
};

// Every tensor of the model, in file order, with its type under `quant`: the architecture's own
// layout (llama_tensor_specs, gpt_oss_tensor_specs). Throws for a quant the preset does not come in.
std::vector<TensorSpec> tensor_specs(const ModelConfig& c, GgmlType quant);
std::vector<TensorSpec> llama_tensor_specs(const ModelConfig& c, GgmlType quant);
// ggml-org's MXFP4 layout: experts MXFP4, other matrices Q8_0, router, norms, biases, sinks F32.
std::vector<TensorSpec> gpt_oss_tensor_specs(const ModelConfig& c);

// The quant a preset is made in when none is named (llama q4_0, gpt-oss mxfp4), and why one
// named cannot be used ("" when it can).
GgmlType default_preset_quant(const ModelConfig& c);
std::string preset_quant_refusal(const ModelConfig& c, GgmlType quant);

// The standard deviation of a preset's random token embedding (presets.cpp says why a mixture of
// experts' is larger than the 0.02 of its other matrices).
float token_embedding_std(const ModelConfig& c);

// Fills one tensor's storage with deterministic random values of realistic range: weights with
// standard deviation 0.02 (the token embedding token_embedding_std), norm weights around 1, rope_freqs
// the Llama 3 factors. `parallel(n, fn)` runs fn(i) for i in [0, n), possibly on several threads.
using ParallelFor = std::function<void(int64_t n, const std::function<void(int64_t)>& fn)>;
void generate_tensor(const ModelConfig& c, const TensorSpec& spec, uint64_t seed, void* dst, const ParallelFor& parallel);

}  // namespace specgap::llm
