// Writes the valid seed files of fuzz/seeds/ with specgap's GGUF writer: what real files look like
// (Llama metadata, a small vocab, tensors of several types, alignments 32 and 64, a v2 header), so
// the fuzzer starts from deep inside the format. Run by fuzz/build.sh --seeds.
#include <cstdio>
#include <string>
#include <vector>

#include "core/error.h"
#include "llm/gguf_writer.h"

using namespace specgap;
using namespace specgap::llm;

namespace {

void llama_metadata(GgufWriter& w, uint32_t vocab) {
  w.set_string("general.architecture", "llama");
  w.set_string("general.name", "seed");
  w.set_u32("llama.block_count", 1);
  w.set_u32("llama.context_length", 8192);
  w.set_u32("llama.embedding_length", 64);
  w.set_u32("llama.attention.head_count", 4);
  w.set_f32("llama.rope.freq_base", 500000.0f);
  w.set_f32("llama.attention.layer_norm_rms_epsilon", 1e-5f);
  w.set_string("tokenizer.ggml.model", "gpt2");
  std::vector<std::string> tokens;
  std::vector<int32_t> types;
  std::vector<float> scores;
  for (uint32_t i = 0; i < vocab; ++i) {
    tokens.push_back(i == 0 ? "<|begin_of_text|>" : "t" + std::to_string(i));
    types.push_back(i == 0 ? 3 : 1);
    scores.push_back(-float(i));
  }
  w.set_string_array("tokenizer.ggml.tokens", tokens);
  w.set_i32_array("tokenizer.ggml.token_type", types);
  w.set_f32_array("tokenizer.ggml.scores", scores);
  w.set_u32("tokenizer.ggml.bos_token_id", 0);
  w.set_bool("tokenizer.ggml.add_bos_token", true);
}

void save(const std::string& dir, const std::string& name, std::vector<std::byte> bytes) {
  const std::string path = dir + "/" + name;
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f || std::fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size() || std::fclose(f) != 0) {
    std::fprintf(stderr, "cannot write %s\n", path.c_str());
    std::exit(1);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const std::string dir = argc > 1 ? argv[1] : "fuzz/seeds";
  try {
    {
      GgufWriter w;
      llama_metadata(w, 8);
      save(dir, "valid-vocab-only.gguf", w.to_bytes());
      auto v2 = w.to_bytes();
      v2[4] = std::byte{2};
      save(dir, "valid-v2-vocab-only.gguf", v2);
    }
    {
      std::vector<std::byte> data(4096, std::byte{0x11});
      GgufWriter w;
      llama_metadata(w, 4);
      w.set_u8("u8", 1); w.set_i8("i8", -1); w.set_u16("u16", 2); w.set_i16("i16", -2);
      w.set_u64("u64", 3); w.set_i64("i64", -3); w.set_f64("f64", 0.5);
      w.set_array<uint8_t>("arr.u8", {1, 2}); w.set_array<bool>("arr.bool", {true, false});
      w.set_array<double>("arr.f64", {1.5}); w.set_array<int64_t>("arr.i64", {-1});
      w.add_tensor("token_embd.weight", GgmlType::q4_0, {64, 4}, data.data(), 4 * 2 * 18);
      w.add_tensor("output_norm.weight", GgmlType::f32, {64}, data.data(), 256);
      w.add_tensor("blk.0.attn_q.weight", GgmlType::f16, {64, 4}, data.data(), 512);
      w.add_tensor("blk.0.ffn_down.weight", GgmlType::q6_k, {256, 2}, data.data(), 2 * 210);
      w.add_tensor("blk.0.ffn_up.weight", GgmlType::q8_0, {32, 3}, data.data(), 3 * 34);
      save(dir, "valid-tensors-align32.gguf", w.to_bytes(32));
      save(dir, "valid-tensors-align64.gguf", w.to_bytes(64));
    }
    {
      std::vector<std::byte> data(64, std::byte{0x22});
      GgufWriter w;
      w.set_string("general.architecture", "llama");
      w.add_tensor("a", GgmlType::f32, {2, 2, 2, 2}, data.data(), 64);
      w.add_tensor("b", GgmlType::i8, {3}, data.data(), 3);
      save(dir, "valid-small.gguf", w.to_bytes());
    }
  } catch (const Error& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
  return 0;
}
