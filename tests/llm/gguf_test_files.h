#pragma once
// GGUF files for tests, written with specgap's writer: a Llama 3.2 1B look-alike (the real metadata
// keys and types, the Llama 3 token list's shape, a tokenizer's arrays and one block of tensors in
// the real names and types, with the width scaled down), and a scratch folder that removes itself.
#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "llm/gguf_writer.h"

namespace specgap::test {

class TempDir {
 public:
  TempDir() {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/specgap-gguf-XXXXXX";
    if (mkdtemp(pattern.data())) path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// Token text as the Llama 3 list has it at the ids tests look at; the rest are numbered filler tokens.
inline std::string llama3_token(uint32_t id) {
  if (id == 128000) return "<|begin_of_text|>";
  if (id == 128001) return "<|end_of_text|>";
  if (id >= 128002) return "<|reserved_special_token_" + std::to_string(id - 128002) + "|>";
  return "tok" + std::to_string(id);
}

// A writer holding a Llama-like model; the tensor bytes live in `data` as long as the object.
struct LlamaLikeModel {
  static constexpr uint32_t n_vocab = 128256;
  static constexpr uint32_t n_embd = 256;  // 2048 in Llama 3.2 1B, scaled down
  static constexpr uint32_t n_ff = 512;
  static constexpr uint32_t n_head = 8, n_head_kv = 2, head_dim = 32;
  static constexpr uint32_t n_vocab_tensors = 512;  // token_embd rows written (the real one has n_vocab)

  llm::GgufWriter writer;
  std::vector<std::unique_ptr<std::vector<std::byte>>> data;

  explicit LlamaLikeModel(uint32_t vocab = n_vocab) {
    auto& w = writer;
    w.set_string("general.architecture", "llama");
    w.set_string("general.type", "model");
    w.set_string("general.name", "Llama 3.2 1B Instruct (specgap test copy)");
    w.set_u32("llama.block_count", 1);
    w.set_u32("llama.context_length", 131072);
    w.set_u32("llama.embedding_length", n_embd);
    w.set_u32("llama.feed_forward_length", n_ff);
    w.set_u32("llama.attention.head_count", n_head);
    w.set_u32("llama.attention.head_count_kv", n_head_kv);
    w.set_f32("llama.rope.freq_base", 500000.0f);
    w.set_f32("llama.attention.layer_norm_rms_epsilon", 1e-5f);
    w.set_u32("llama.attention.key_length", head_dim);
    w.set_u32("llama.attention.value_length", head_dim);
    w.set_u32("general.file_type", 15);  // MOSTLY_Q4_K_M
    w.set_u32("llama.vocab_size", vocab);
    w.set_u32("llama.rope.dimension_count", head_dim);
    w.set_string("tokenizer.ggml.model", "gpt2");
    w.set_string("tokenizer.ggml.pre", "llama-bpe");
    std::vector<std::string> tokens(vocab);
    std::vector<int32_t> types(vocab, 1);
    for (uint32_t i = 0; i < vocab; ++i) {
      tokens[i] = llama3_token(i);
      if (i >= 128000) types[i] = 3;  // control
    }
    w.set_string_array("tokenizer.ggml.tokens", tokens);
    w.set_i32_array("tokenizer.ggml.token_type", types);
    w.set_string_array("tokenizer.ggml.merges", {"Ġ Ġ", "Ġ t", "i n", "Ġ a"});
    w.set_u32("tokenizer.ggml.bos_token_id", 128000);
    w.set_u32("tokenizer.ggml.eos_token_id", 128009);
    w.set_string("tokenizer.chat_template", "{{- bos_token }}\n{%- for message in messages %}{{ message['content'] }}{%- endfor %}");
    w.set_u32("general.quantization_version", 2);

    add("token_embd.weight", GgmlType::q6_k, {n_embd, n_vocab_tensors});
    add("output_norm.weight", GgmlType::f32, {n_embd});
    add("rope_freqs.weight", GgmlType::f32, {head_dim / 2});
    add("blk.0.attn_norm.weight", GgmlType::f32, {n_embd});
    add("blk.0.attn_q.weight", GgmlType::q4_k, {n_embd, n_head * head_dim});
    add("blk.0.attn_k.weight", GgmlType::q4_k, {n_embd, n_head_kv * head_dim});
    add("blk.0.attn_v.weight", GgmlType::q6_k, {n_embd, n_head_kv * head_dim});
    add("blk.0.attn_output.weight", GgmlType::q4_k, {n_head * head_dim, n_embd});
    add("blk.0.ffn_norm.weight", GgmlType::f32, {n_embd});
    add("blk.0.ffn_gate.weight", GgmlType::q4_k, {n_embd, n_ff});
    add("blk.0.ffn_up.weight", GgmlType::q4_k, {n_embd, n_ff});
    add("blk.0.ffn_down.weight", GgmlType::q6_k, {n_ff, n_embd});
  }

  // Random bytes of the right size for type and dims.
  void add(const std::string& name, GgmlType type, std::vector<uint64_t> dims) {
    uint64_t rows = 1;
    for (size_t i = 1; i < dims.size(); ++i) rows *= dims[i];
    const uint64_t bytes = *ggml_row_bytes(type, dims[0]) * rows;
    auto buf = std::make_unique<std::vector<std::byte>>(bytes);
    std::mt19937 rng(uint32_t(data.size() + 1));
    for (auto& b : *buf) b = std::byte(rng() & 0xff);
    writer.add_tensor(name, type, std::move(dims), buf->data(), bytes);
    data.push_back(std::move(buf));
  }
};

}  // namespace specgap::test
