#include "llm/presets.h"

#include <cmath>
#include <cstring>

#include "backends/cpu/quant_reference.h"
#include "core/error.h"

namespace specgap::llm {
namespace {
ModelConfig preset(std::string name, int64_t embd, int64_t layers, int64_t heads, int64_t head_dim, int64_t ff,
                   double rope_factor, bool tied) {
  ModelConfig c;
  c.name = std::move(name);
  c.n_embd = embd;
  c.n_layer = layers;
  c.n_head = heads;
  c.n_head_kv = 8;
  c.head_dim = head_dim;
  c.n_rot = head_dim;
  c.n_ff = ff;
  c.n_vocab = 128256;
  c.context_length = 131072;
  c.rope_theta = 500000;
  c.rms_eps = 1e-5;
  c.rope_factor = rope_factor;
  c.tied_output = tied;
  return c;
}

// reference/llm.md §3.4 (OpenAI's and HF's configs): the 20b and the 120b differ in layers and experts.
ModelConfig gpt_oss_preset(std::string name, int64_t layers, int64_t experts) {
  ModelConfig c;
  c.arch = Architecture::gpt_oss;
  c.name = std::move(name);
  c.n_embd = 2880;
  c.n_layer = layers;
  c.n_head = 64;
  c.n_head_kv = 8;
  c.head_dim = 64;
  c.n_rot = 64;
  c.n_vocab = 201088;
  c.context_length = 131072;
  c.rope_theta = 150000;
  c.rms_eps = 1e-5;
  c.moe = {experts, 4, 2880};
  c.sliding_window = 128;
  c.yarn = {32, 4096, 32, 1};
  return c;
}

// reference/llm.md §3.3 (Meta's sku_list and model cards; rope scaling from the HF configs) and §3.4.
const std::vector<ModelConfig>& presets() {
  static const std::vector<ModelConfig> kPresets = {
      preset("llama-3.2-1b", 2048, 16, 32, 64, 8192, 32, true),
      preset("llama-3.2-3b", 3072, 28, 24, 128, 8192, 32, true),
      preset("llama-3.1-8b", 4096, 32, 32, 128, 14336, 8, false),
      preset("llama-3.3-70b", 8192, 80, 64, 128, 28672, 8, false),
      gpt_oss_preset("gpt-oss-20b", 24, 32),
      gpt_oss_preset("gpt-oss-120b", 36, 128),
  };
  return kPresets;
}

// llama.cpp's Q4_K_M gives attn_v and ffn_down 6 bits in the first and last eighth of the layers
// and every third layer between (its use_more_bits rule).
bool more_bits(int64_t layer, int64_t layers) {
  return layer < layers / 8 || layer >= 7 * layers / 8 || (layer - layers / 8) % 3 == 2;
}

uint64_t splitmix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}
}  // namespace

std::optional<ModelConfig> find_preset(std::string_view name) {
  for (const auto& p : presets())
    if (p.name == name) return p;
  return std::nullopt;
}

std::vector<std::string> preset_names() {
  std::vector<std::string> names;
  for (const auto& p : presets()) names.push_back(p.name);
  return names;
}

std::optional<GgmlType> parse_preset_quant(std::string_view name) {
  auto t = parse_ggml_type(name == "q4_k_m" || name == "Q4_K_M" ? "q4_k" : name);
  if (!t) return std::nullopt;
  switch (*t) {
    case GgmlType::f32: case GgmlType::f16: case GgmlType::bf16: case GgmlType::q8_0: case GgmlType::q4_0:
    case GgmlType::mxfp4: case GgmlType::q4_k: case GgmlType::q6_k: return t;
    default: return std::nullopt;
  }
}

uint64_t TensorSpec::bytes() const {
  uint64_t rows = 1;
  for (size_t i = 1; i < dims.size(); ++i) rows *= dims[i];
  return *ggml_row_bytes(type, dims[0]) * rows;
}

GgmlType default_preset_quant(const ModelConfig& c) {
  return c.arch == Architecture::gpt_oss ? GgmlType::mxfp4 : GgmlType::q4_0;
}

std::string preset_quant_refusal(const ModelConfig& c, GgmlType quant) {
  if (c.arch == Architecture::gpt_oss && quant != GgmlType::mxfp4)
    return c.name + " comes in ggml-org's layout only: mxfp4 (MXFP4 experts, Q8_0 elsewhere), not " +
           std::string(to_string(quant));
  return "";
}

std::vector<TensorSpec> tensor_specs(const ModelConfig& c, GgmlType quant) {
  if (const std::string why = preset_quant_refusal(c, quant); !why.empty()) throw Error(why);
  return c.arch == Architecture::gpt_oss ? gpt_oss_tensor_specs(c) : llama_tensor_specs(c, quant);
}

std::vector<TensorSpec> llama_tensor_specs(const ModelConfig& c, GgmlType quant) {
  const auto e = static_cast<uint64_t>(c.n_embd), q = static_cast<uint64_t>(c.n_head * c.head_dim),
             kv = static_cast<uint64_t>(c.n_head_kv * c.head_dim), ff = static_cast<uint64_t>(c.n_ff),
             vocab = static_cast<uint64_t>(c.n_vocab);
  const bool float_model = quant == GgmlType::f32 || quant == GgmlType::f16 || quant == GgmlType::bf16;
  // llama.cpp's quantiser gives the output projection 6 bits unless the model is 8-bit or float; an
  // MXFP4 model keeps its embedding and output in Q8_0, as ggml-org's MXFP4 files do.
  const GgmlType output_type = float_model || quant == GgmlType::q8_0 ? quant
                               : quant == GgmlType::mxfp4           ? GgmlType::q8_0
                                                                     : GgmlType::q6_k;
  std::vector<TensorSpec> specs;
  specs.push_back({"token_embd.weight", c.tied_output || quant == GgmlType::mxfp4 ? output_type : quant, {e, vocab}});
  specs.push_back({"output_norm.weight", GgmlType::f32, {e}});
  if (!c.tied_output) specs.push_back({"output.weight", output_type, {e, vocab}});
  if (c.rope_factor != 1) specs.push_back({"rope_freqs.weight", GgmlType::f32, {static_cast<uint64_t>(c.n_rot / 2)}});
  for (int64_t i = 0; i < c.n_layer; ++i) {
    const std::string b = "blk." + std::to_string(i) + ".";
    const GgmlType wide = quant == GgmlType::q4_k && more_bits(i, c.n_layer) ? GgmlType::q6_k : quant;
    specs.push_back({b + "attn_norm.weight", GgmlType::f32, {e}});
    specs.push_back({b + "attn_q.weight", quant, {e, q}});
    specs.push_back({b + "attn_k.weight", quant, {e, kv}});
    specs.push_back({b + "attn_v.weight", wide, {e, kv}});
    specs.push_back({b + "attn_output.weight", quant, {q, e}});
    specs.push_back({b + "ffn_norm.weight", GgmlType::f32, {e}});
    specs.push_back({b + "ffn_gate.weight", quant, {e, ff}});
    specs.push_back({b + "ffn_up.weight", quant, {e, ff}});
    specs.push_back({b + "ffn_down.weight", wide, {ff, e}});
  }
  return specs;
}

// A mixture of experts' token embedding is drawn about three times as large as the sum of what its
// 2 n_layer residual branches (attention, experts) add to the stream, not at the 0.02 of its other
// matrices. A branch of 0.02 weights adds about 0.02^2 n_embd (two matrices deep over n_embd-wide
// inputs; 1.2 for gpt-oss-20b) and 2 n_layer of them sum to sqrt(2 n_layer) times that. At 0.02 the
// embedding is lost after the first layer and the stream is random layers acting on one another:
// a rounding difference of 0.1% picks another expert where two router logits nearly tie and grows
// to a third of the logits by the last layer (on gpt-oss-20b two configurations of llama.cpp itself
// never agreed on a greedy token). At three times the branches the layers still move the logits (the
// greedy tokens part from the embedding's own from the second on) and a rounding difference stays
// small, as in a trained model. A dense Llama's greedy tokens already agree at 0.02.
float token_embedding_std(const ModelConfig& c) {
  if (c.moe.n_expert == 0) return 0.02f;
  const double branch = 0.02 * 0.02 * static_cast<double>(c.n_embd);
  return static_cast<float>(3 * std::sqrt(2.0 * static_cast<double>(c.n_layer)) * branch);
}

void generate_tensor(const ModelConfig& c, const TensorSpec& spec, uint64_t seed, void* dst, const ParallelFor& parallel) {
  if (spec.name == "rope_freqs.weight") {
    const auto f = llama3_rope_freq_factors(c);
    std::memcpy(dst, f.data(), f.size() * sizeof(float));
    return;
  }
  const bool norm = spec.name.find("norm") != std::string::npos;
  const uint64_t cols = spec.dims[0], row_bytes = *ggml_row_bytes(spec.type, cols);
  int64_t rows = 1;
  for (size_t i = 1; i < spec.dims.size(); ++i) rows *= static_cast<int64_t>(spec.dims[i]);
  const float stddev = norm ? 0.1f : spec.name == "token_embd.weight" ? token_embedding_std(c) : 0.02f;
  parallel(rows, [&](int64_t r) {
    auto* row = static_cast<uint8_t*>(dst) + r * row_bytes;
    cpu::fill_random_blocks(spec.type, row, static_cast<int64_t>(cols), splitmix(seed ^ splitmix(static_cast<uint64_t>(r))),
                            stddev);
    if (norm) {  // RMSNorm gains sit around 1
      auto* f = reinterpret_cast<float*>(row);
      for (uint64_t i = 0; i < cols; ++i) f[i] += 1.0f;
    }
  });
}

}  // namespace specgap::llm
