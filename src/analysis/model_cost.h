#pragma once
// What one token costs a model: the weight bytes a decode step reads, the FLOPs a token needs, and the
// KV cache it adds, from the architecture's true shapes (reference/llm.md §3.3, §3.4) and the storage
// type of every tensor. Predictions and the roofline are built on these figures; they hold for any
// machine because they describe the model, not the hardware.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace specgap::analysis {

struct ModelCost {
  std::string model;             // canonical name: llama-3.1-8b, gpt-oss-120b, ...
  std::string quant;             // canonical: q4_k_m, q8_0, mxfp4, f16, fp8, ...
  std::string layout;            // how that quant stores the tensors, in words
  double parameters = 0;         // every weight
  double active_parameters = 0;  // weights a token multiplies (MoE: the experts it is routed to)
  double weight_bytes = 0;       // the model file's tensors
  double decode_weight_bytes = 0;  // read per decoded token: active weights, one embedding row
  double matmul_flops = 0;       // per token: 2 x active weights, the embedding lookup excluded
  double output_flops = 0;       // of which the output projection: a prompt computes it for its last token only
  // Attention per token of context: FLOPs (QK^T and PV) and f16 K+V bytes, over the layers that keep
  // every position. Sliding-window layers keep `window` positions; their cache is `window_kv_bytes`.
  double attention_flops_per_position = 0;
  double kv_bytes_per_position = 0;
  double window_kv_bytes = 0;
  double window_attention_flops = 0;  // per token, all window layers at a full window
  int64_t window = 0;
  int64_t layers = 0;

  // Bytes a decode step reads at `context` positions already in the cache.
  double decode_bytes(double context) const;
  // FLOPs of one token at `context` positions.
  double token_flops(double context) const;
  // FLOPs of one prompt token: no logits but the last token's, as llama.cpp computes a prompt.
  double prompt_token_flops(double context) const { return token_flops(context) - output_flops; }
  // Bytes the KV cache of `context` positions holds.
  double kv_bytes(double context) const;
};

// A model name as sources write it ("Meta-Llama-3-8B", "Llama-3.1-8B-Instruct", "gpt-oss-120b") to
// the architecture specgap knows the shape of; nullopt for one it does not.
std::optional<std::string> canonical_model(std::string_view name);
// A quant label ("Q4_K_M", "MXFP4", "FP8", "F16 (MXFP4 experts)") to a canonical one; nullopt if unknown.
std::optional<std::string> canonical_quant(std::string_view model, std::string_view quant);
// The quant a model is usually run in when a source does not say: a GPT-OSS checkpoint ships in
// MXFP4; for the rest, Q4_K_M, the default of Ollama and most GGUF uploads.
std::string default_quant(std::string_view canonical);

// nullopt when the model or the quant is unknown.
std::optional<ModelCost> model_cost(std::string_view model, std::string_view quant);

std::vector<std::string> known_models();
std::vector<std::string> known_quants();

}  // namespace specgap::analysis
