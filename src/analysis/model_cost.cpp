#include "analysis/model_cost.h"

#include <algorithm>

#include "core/ggml_type.h"
#include "llm/presets.h"

#include "core/text.h"

namespace specgap::analysis {
namespace {

bool contains(const std::string& s, std::string_view part) { return s.find(part) != std::string::npos; }

// One kind of tensor: how many weights, the bytes each takes, and how many of them a token uses.
struct Group {
  double elements = 0, bytes_per_element = 0, used = 1;  // used: the fraction a token reads
  bool matmul = true;  // multiplied per token (not an embedding lookup, norm or bias)
  bool output = false; // the output projection to the vocabulary
};

ModelCost from_groups(const std::vector<Group>& groups) {
  ModelCost c;
  for (const auto& g : groups) {
    c.parameters += g.elements;
    c.weight_bytes += g.elements * g.bytes_per_element;
    if (!g.matmul) continue;
    c.active_parameters += g.elements * g.used;
    c.decode_weight_bytes += g.elements * g.used * g.bytes_per_element;
    c.matmul_flops += 2 * g.elements * g.used;
    if (g.output) c.output_flops += 2 * g.elements * g.used;
  }
  return c;
}

constexpr double kF16 = 2;  // KV cache element, llama.cpp's default cache type

// Llama 3.x in a ggml type mix, as llama.cpp's quantiser lays it out (llm::llama_tensor_specs).
ModelCost llama_ggml(const llm::ModelConfig& cfg, GgmlType quant) {
  std::vector<Group> groups;
  for (const auto& t : llm::llama_tensor_specs(cfg, quant)) {
    double n = 1;
    for (auto d : t.dims) n *= static_cast<double>(d);
    // A token reads one row of the embedding; a tied embedding is also the output projection.
    const bool lookup_only = t.name == "token_embd.weight" && !cfg.tied_output;
    const bool output = t.name == "output.weight" || (t.name == "token_embd.weight" && cfg.tied_output);
    groups.push_back({n, static_cast<double>(t.bytes()) / n, 1, t.dims.size() == 2 && !lookup_only, output});
  }
  return from_groups(groups);
}

// Llama 3.x with 8-bit float linear layers and 16-bit embeddings (what FP8 checkpoints ship).
ModelCost llama_fp8(const llm::ModelConfig& cfg) {
  const double e = cfg.n_embd, q = cfg.n_head * cfg.head_dim, kv = cfg.n_head_kv * cfg.head_dim, ff = cfg.n_ff,
               v = cfg.n_vocab, L = cfg.n_layer;
  std::vector<Group> groups = {{L * (2 * e * q + 2 * e * kv + 3 * e * ff), 1},
                               {e * v, 2, 1, cfg.tied_output, cfg.tied_output}};
  if (!cfg.tied_output) groups.push_back({e * v, 2, 1, true, true});
  return from_groups(groups);
}

void add_llama_attention(const llm::ModelConfig& cfg, ModelCost& c) {
  c.layers = cfg.n_layer;
  c.attention_flops_per_position = 4.0 * cfg.n_layer * cfg.n_head * cfg.head_dim;
  c.kv_bytes_per_position = static_cast<double>(cfg.kv_elements_per_token()) * kF16;
}

// GPT-OSS from its preset's tensors (llm::gpt_oss_tensor_specs, the layout of ggml-org's MXFP4 GGUF:
// 59.02 GiB for the 120b), every tensor but the experts' weights and the F32 ones stored as `dense`
// (Q8_0 there; F16 in others). A token multiplies n_expert_used of the experts' weights; their
// biases, the norms and the sinks are added, not multiplied; the embedding is a row lookup.
ModelCost gpt_oss(const llm::ModelConfig& cfg, GgmlType dense) {
  const double used = static_cast<double>(cfg.moe.n_expert_used) / static_cast<double>(cfg.moe.n_expert);
  std::vector<Group> groups;
  for (auto t : llm::gpt_oss_tensor_specs(cfg)) {
    if (t.type == GgmlType::q8_0) t.type = dense;
    double n = 1;
    for (auto d : t.dims) n *= static_cast<double>(d);
    const bool expert = contains(t.name, "_exps.");
    const bool bias_or_vector = contains(t.name, ".bias") || t.dims.size() == 1;
    const bool matrix = !bias_or_vector && t.name != "token_embd.weight";
    groups.push_back({n, static_cast<double>(t.bytes()) / n, expert ? used : 1, matrix, t.name == "output.weight"});
  }
  ModelCost c = from_groups(groups);
  const double L = static_cast<double>(cfg.n_layer), q = static_cast<double>(cfg.n_head * cfg.head_dim),
               kv = static_cast<double>(cfg.n_head_kv * cfg.head_dim), window = static_cast<double>(cfg.sliding_window);
  c.layers = cfg.n_layer;
  const double full_layers = L / 2, window_layers = L - full_layers;
  c.attention_flops_per_position = 4.0 * full_layers * q;
  c.kv_bytes_per_position = full_layers * 2 * kv * kF16;
  c.window = cfg.sliding_window;
  c.window_kv_bytes = window_layers * 2 * kv * kF16 * window;
  c.window_attention_flops = 4.0 * window_layers * q * window;
  return c;
}

bool is_gpt_oss(const std::string& m) { return m.rfind("gpt-oss", 0) == 0; }

const std::vector<std::string>& quant_names() {
  static const std::vector<std::string> names = {"q4_0", "q4_k_m", "q6_k", "q8_0", "f16", "bf16", "f32",
                                                 "fp8", "mxfp4", "mxfp4-f16"};
  return names;
}
}  // namespace

double ModelCost::kv_bytes(double context) const {
  return context * kv_bytes_per_position + (window ? window_kv_bytes * std::min(context, double(window)) / window : 0);
}
double ModelCost::decode_bytes(double context) const { return decode_weight_bytes + kv_bytes(context); }
double ModelCost::token_flops(double context) const {
  return matmul_flops + context * attention_flops_per_position +
         (window ? window_attention_flops * std::min(context, double(window)) / window : 0);
}

std::optional<std::string> canonical_model(std::string_view name) {
  std::string n = lowercase(name);
  for (auto* strip : {"meta-", "-instruct", "-hf"})
    if (auto p = n.find(strip); p != std::string::npos) n.erase(p, std::string_view(strip).size());
  if (contains(n, "gpt-oss-120b")) return "gpt-oss-120b";
  if (contains(n, "gpt-oss-20b")) return "gpt-oss-20b";
  // Llama 3, 3.1 and 3.3 share the 8B and 70B shapes; 3.2 has the 1B and 3B.
  const bool llama3 = n.rfind("llama-3", 0) == 0 || n.rfind("llama3", 0) == 0;
  if (!llama3) return std::nullopt;
  for (auto [size, id] : {std::pair{"-1b", "llama-3.2-1b"}, {"-3b", "llama-3.2-3b"}, {"-8b", "llama-3.1-8b"},
                          {"-70b", "llama-3.3-70b"}}) {
    const auto p = n.find(size);
    if (p != std::string::npos && p + std::string_view(size).size() == n.size()) return std::string(id);
  }
  return std::nullopt;
}

std::optional<std::string> canonical_quant(std::string_view model, std::string_view quant) {
  const std::string q = lowercase(quant);
  const bool oss = is_gpt_oss(std::string(model));
  if (oss && contains(q, "mxfp4") && (contains(q, "f16") || contains(q, "bf16"))) return "mxfp4-f16";
  if (q == "q4_k_m" || q == "q4_k") return "q4_k_m";
  for (const auto& n : quant_names())
    if (q == n) return oss == (n.rfind("mxfp4", 0) == 0) ? std::optional<std::string>(n) : std::nullopt;
  return std::nullopt;
}

std::string default_quant(std::string_view canonical) { return is_gpt_oss(std::string(canonical)) ? "mxfp4" : "q4_k_m"; }

std::optional<ModelCost> model_cost(std::string_view model_name, std::string_view quant_name) {
  const auto model = canonical_model(model_name);
  if (!model) return std::nullopt;
  const auto quant = canonical_quant(*model, quant_name);
  if (!quant) return std::nullopt;
  ModelCost c;
  if (is_gpt_oss(*model)) {
    const bool f16 = *quant == "mxfp4-f16";
    c = gpt_oss(*llm::find_preset(*model), f16 ? GgmlType::f16 : GgmlType::q8_0);
    c.layout = f16 ? "experts MXFP4, every other tensor F16" : "experts MXFP4, every other tensor Q8_0 (ggml-org GGUF)";
  } else {
    const auto cfg = llm::find_preset(*model);
    if (*quant == "fp8") {
      c = llama_fp8(*cfg);
      c.layout = "linear layers FP8, embeddings BF16";
    } else {
      const auto t = llm::parse_preset_quant(*quant);
      c = llama_ggml(*cfg, *t);
      c.layout = *quant == "q4_k_m" ? "llama.cpp Q4_K_M mix (Q4_K, Q6_K for output and some attn_v/ffn_down)"
                                    : "llama.cpp " + *quant + " (output Q6_K below 8 bits)";
    }
    add_llama_attention(*cfg, c);
  }
  c.model = *model;
  c.quant = *quant;
  return c;
}

std::vector<std::string> known_models() { return llm::preset_names(); }
std::vector<std::string> known_quants() { return quant_names(); }

}  // namespace specgap::analysis
