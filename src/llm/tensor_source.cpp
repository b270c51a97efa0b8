#include "llm/tensor_source.h"

#include <cstdio>

#include "core/error.h"
#include "llm/gguf_writer.h"

namespace specgap::llm {
namespace {
uint64_t tensor_seed(uint64_t seed, const std::string& name) {
  uint64_t h = 1469598103934665603ull ^ seed;  // FNV-1a over the name: a tensor's values do not depend on order
  for (unsigned char ch : name) h = (h ^ ch) * 1099511628211ull;
  return h;
}
// llama.cpp's llama_ftype for a preset's quantisation (what llama-bench names the model by; the
// tensors' own types are what any reader decodes).
uint32_t file_type(GgmlType quant) {
  switch (quant) {
    case GgmlType::f16: return 1;
    case GgmlType::q4_0: return 2;
    case GgmlType::q8_0: return 7;
    case GgmlType::q4_k: return 15;  // Q4_K_M
    case GgmlType::q6_k: return 18;
    case GgmlType::bf16: return 32;
    case GgmlType::mxfp4: return 38;  // MXFP4_MOE
    default: return 0;                // all F32
  }
}
}  // namespace

GgufSource::GgufSource(const std::string& path) : file_(GgufFile::open(path)), config_(config_from_gguf(file_)) {}

std::string GgufSource::description() const { return "file " + file_.label(); }

std::optional<TensorSpec> GgufSource::spec(const std::string& name) const {
  const TensorView* t = file_.find_tensor(name);
  if (!t) return std::nullopt;
  TensorSpec s{t->name, t->type, {}};
  for (uint32_t i = 0; i < t->n_dims; ++i) s.dims.push_back(t->ne[i]);
  return s;
}

void GgufSource::read(const std::string& name, const std::function<void(const void*)>& use) {
  const TensorView* t = file_.find_tensor(name);
  if (!t) throw Error("gguf: " + file_.label() + ": no tensor " + name);
  use(t->data);
}

uint64_t GgufSource::total_bytes() const {
  uint64_t total = 0;
  for (const auto& t : file_.tensors()) total += t.bytes;
  return total;
}

PresetSource::PresetSource(ModelConfig config, GgmlType quant, uint64_t seed, ParallelFor parallel)
    : config_(std::move(config)), quant_(quant), seed_(seed), parallel_(std::move(parallel)),
      specs_(tensor_specs(config_, quant)) {}

std::string PresetSource::description() const {
  return "preset " + config_.name + " " + std::string(to_string(quant_)) + " (random weights, seed " + std::to_string(seed_) + ")";
}

std::optional<TensorSpec> PresetSource::spec(const std::string& name) const {
  for (const auto& s : specs_)
    if (s.name == name) return s;
  return std::nullopt;
}

ParallelFor parallel_on(cpu::ThreadTeam& team) {
  return [&team](int64_t n, const std::function<void(int64_t)>& fn) {
    team.run([&](size_t member) {
      for (int64_t i = static_cast<int64_t>(member); i < n; i += static_cast<int64_t>(team.size())) fn(i);
    });
  };
}

void PresetSource::generate(const TensorSpec& s, void* dst) const {
  generate_tensor(config_, s, tensor_seed(seed_, s.name), dst, parallel_);
}

void PresetSource::read(const std::string& name, const std::function<void(const void*)>& use) {
  const auto s = spec(name);
  if (!s) throw Error("preset " + config_.name + ": no tensor " + name);
  if (scratch_.size() < s->bytes()) scratch_ = std::vector<std::byte>(s->bytes());
  generate(*s, scratch_.data());
  use(scratch_.data());
}

uint64_t PresetSource::total_bytes() const {
  uint64_t total = 0;
  for (const auto& s : specs_) total += s.bytes();
  return total;
}

void write_preset_gguf(PresetSource& source, const std::string& path) {
  const ModelConfig& c = source.config();
  GgufWriter w;
  const std::string a(to_string(c.arch));
  auto key = [&](const char* k) { return a + "." + k; };
  w.set_string("general.architecture", a);
  w.set_string("general.name", c.name + " (specgap random weights)");
  w.set_u32("general.file_type", file_type(source.quant()));
  w.set_u32(key("vocab_size"), static_cast<uint32_t>(c.n_vocab));
  w.set_u32(key("context_length"), static_cast<uint32_t>(c.context_length));
  w.set_u32(key("embedding_length"), static_cast<uint32_t>(c.n_embd));
  w.set_u32(key("block_count"), static_cast<uint32_t>(c.n_layer));
  w.set_u32(key("attention.head_count"), static_cast<uint32_t>(c.n_head));
  w.set_u32(key("attention.head_count_kv"), static_cast<uint32_t>(c.n_head_kv));
  w.set_u32(key("attention.key_length"), static_cast<uint32_t>(c.head_dim));
  w.set_u32(key("attention.value_length"), static_cast<uint32_t>(c.head_dim));
  w.set_u32(key("rope.dimension_count"), static_cast<uint32_t>(c.n_rot));
  w.set_f32(key("rope.freq_base"), static_cast<float>(c.rope_theta));
  w.set_f32(key("attention.layer_norm_rms_epsilon"), static_cast<float>(c.rms_eps));
  if (c.arch == Architecture::llama) {
    w.set_u32(key("feed_forward_length"), static_cast<uint32_t>(c.n_ff));
  } else {
    // As llama.cpp's converter writes a GPT-OSS model (reference/llm.md §3.4).
    w.set_u32(key("feed_forward_length"), static_cast<uint32_t>(c.moe.n_ff_exp));
    w.set_u32(key("expert_feed_forward_length"), static_cast<uint32_t>(c.moe.n_ff_exp));
    w.set_u32(key("expert_count"), static_cast<uint32_t>(c.moe.n_expert));
    w.set_u32(key("expert_used_count"), static_cast<uint32_t>(c.moe.n_expert_used));
    w.set_u32(key("attention.sliding_window"), static_cast<uint32_t>(c.sliding_window));
    w.set_string(key("rope.scaling.type"), "yarn");
    w.set_f32(key("rope.scaling.factor"), static_cast<float>(c.yarn.factor));
    w.set_u32(key("rope.scaling.original_context_length"), static_cast<uint32_t>(c.yarn.original_context));
    w.set_f32(key("rope.scaling.yarn_beta_fast"), static_cast<float>(c.yarn.beta_fast));
    w.set_f32(key("rope.scaling.yarn_beta_slow"), static_cast<float>(c.yarn.beta_slow));
  }
  // A synthetic SentencePiece-style vocabulary (random weights have no real tokens), so that tools which need one (llama.cpp refuses a
  // model without) load the file: unknown, BOS, EOS, the 256 byte tokens, then numbered pieces.
  std::vector<std::string> tokens{"<unk>", "<s>", "</s>"};
  std::vector<int32_t> types{2, 3, 3};
  for (int b = 0; b < 256; ++b) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "<0x%02X>", b);
    tokens.emplace_back(buf);
    types.push_back(6);
  }
  while (static_cast<int64_t>(tokens.size()) < c.n_vocab) {
    tokens.push_back("\u2581t" + std::to_string(tokens.size()));
    types.push_back(1);
  }
  tokens.resize(c.n_vocab);
  types.resize(c.n_vocab);
  w.set_string("tokenizer.ggml.model", "llama");
  w.set_string_array("tokenizer.ggml.tokens", tokens);
  w.set_f32_array("tokenizer.ggml.scores", std::vector<float>(c.n_vocab, 0.0f));
  w.set_i32_array("tokenizer.ggml.token_type", types);
  w.set_u32("tokenizer.ggml.unknown_token_id", 0);
  w.set_u32("tokenizer.ggml.bos_token_id", 1);
  w.set_u32("tokenizer.ggml.eos_token_id", 2);
  // The tensors are generated into one allocation, since the writer streams them at the end.
  uint64_t total = 0;
  for (const auto& s : source.specs()) total += (s.bytes() + 63) / 64 * 64;
  std::vector<std::byte> data(total);
  uint64_t offset = 0;
  for (const auto& s : source.specs()) {
    source.generate(s, data.data() + offset);
    w.add_tensor(s.name, s.type, s.dims, data.data() + offset, s.bytes());
    offset += (s.bytes() + 63) / 64 * 64;
  }
  w.write(path);
}

}  // namespace specgap::llm
