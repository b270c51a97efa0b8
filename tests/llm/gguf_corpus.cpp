// Recipes of the malformed GGUF corpus: one wrong thing per file, everything else as a real file
// has it. Offsets in comments are byte positions in the file.
#include "gguf_corpus.h"

namespace specgap::test {
namespace {

constexpr uint32_t kU32 = 4, kBool = 7, kString = 8, kArray = 9, kU64 = 10;
constexpr uint32_t kF32 = 0, kQ4_0 = 2;

// A valid prefix: header, then general.architecture = "llama" (24 + 37 bytes).
GgufBytes start(uint64_t n_tensors, uint64_t n_kv) {
  GgufBytes b;
  b.header(3, n_tensors, n_kv).kv_string("general.architecture", "llama");
  return b;
}

// One f32 tensor of 4 x 4 with its 64 bytes of data, after `b`'s infos.
GgufBytes& one_tensor_data(GgufBytes& b, size_t alignment = 32) {
  b.pad(alignment);
  for (int i = 0; i < 16; ++i) b.u32(0x3f800000);  // 1.0f
  return b;
}

}  // namespace

std::vector<CorpusFile> malformed_gguf_corpus() {
  std::vector<CorpusFile> files;
  const auto add = [&](std::string name, const GgufBytes& b) { files.push_back({std::move(name), b.bytes}); };

  // The file itself.
  add("empty.gguf", GgufBytes{});
  add("bad-magic.gguf", GgufBytes{}.raw("GGML", 4).u32(3).u64(0).u64(0));
  add("version-0.gguf", GgufBytes{}.header(0, 0, 0));
  add("version-1.gguf", GgufBytes{}.header(1, 0, 0));
  add("version-4.gguf", GgufBytes{}.header(4, 0, 0));
  add("big-endian-version.gguf", GgufBytes{}.header(0x03000000, 0, 0));
  add("truncated-header.gguf", GgufBytes{}.u32(0x46554747).u32(3).u8(0).u8(0).u8(0));

  // Counts.
  add("huge-kv-count.gguf", GgufBytes{}.header(3, 0, uint64_t(1) << 63));
  add("kv-count-past-end.gguf", GgufBytes{}.header(3, 0, 1000).kv_u32("a", 1));
  add("huge-tensor-count.gguf", GgufBytes{}.header(3, ~uint64_t(0), 0));
  add("tensor-count-past-end.gguf", start(1000, 1));

  // Keys and values.
  add("truncated-in-string.gguf", GgufBytes{}.header(3, 0, 1).str("general.name").u32(kString).u64(100).raw("Llama", 5));
  add("huge-string-length.gguf", GgufBytes{}.header(3, 0, 1).str("general.name").u32(kString).u64(uint64_t(1) << 62));
  add("key-too-long.gguf", GgufBytes{}.header(3, 0, 1).u64(70000).raw("general.", 8));
  add("empty-key.gguf", GgufBytes{}.header(3, 0, 1).str("").u32(kU32).u32(1));
  add("duplicate-key.gguf", start(0, 2).kv_string("general.architecture", "gpt2"));
  add("bad-value-type.gguf", start(0, 2).str("llama.block_count").u32(13).u32(16));
  add("bad-bool.gguf", start(0, 2).str("tokenizer.ggml.add_bos_token").u32(kBool).u8(2));
  add("truncated-value.gguf", start(0, 2).str("llama.context_length").u32(kU64).u32(8192));
  add("huge-array-count.gguf", start(0, 2).str("tokenizer.ggml.token_type").u32(kArray).u32(5).u64(uint64_t(1) << 40));
  add("array-count-past-end.gguf",
      start(0, 2).str("tokenizer.ggml.scores").u32(kArray).u32(6).u64(1000).u32(0).u32(0));
  add("string-array-count-past-end.gguf",
      start(0, 2).str("tokenizer.ggml.tokens").u32(kArray).u32(kString).u64(100).str("a").str("b"));
  add("string-array-element-past-end.gguf",
      start(0, 2).str("tokenizer.ggml.tokens").u32(kArray).u32(kString).u64(3).str("a").str("b").u64(50).raw("c", 1));
  add("nested-array.gguf", start(0, 2).str("tokenizer.ggml.merges").u32(kArray).u32(kArray).u64(1).u32(kU32).u64(1).u32(7));
  add("bad-array-element-type.gguf", start(0, 2).str("tokenizer.ggml.merges").u32(kArray).u32(99).u64(1).u32(0));
  add("bad-bool-in-array.gguf", start(0, 2).str("flags").u32(kArray).u32(kBool).u64(3).u8(0).u8(1).u8(255));

  // general.alignment.
  add("alignment-not-power-of-two.gguf", start(0, 2).kv_u32("general.alignment", 48));
  add("alignment-zero.gguf", start(0, 2).kv_u32("general.alignment", 0));
  add("alignment-too-large.gguf", start(0, 2).kv_u32("general.alignment", 1u << 21));
  add("alignment-wrong-type.gguf", start(0, 2).str("general.alignment").u32(kU64).u64(32));

  // Tensor infos.
  {
    auto b = start(1, 1).tensor("token_embd.weight", {4, 4}, kF32, 0);
    b.bytes.resize(b.bytes.size() - 5);  // the offset cut short
    add("truncated-tensor-info.gguf", b);
  }
  {
    auto b = start(1, 1).tensor("", {4, 4}, kF32, 0);
    add("empty-tensor-name.gguf", one_tensor_data(b));
  }
  {
    auto b = start(1, 1).tensor(std::string(64, 'x'), {4, 4}, kF32, 0);
    add("tensor-name-too-long.gguf", one_tensor_data(b));
  }
  {
    auto b = start(2, 1).tensor("output_norm.weight", {4, 4}, kF32, 0).tensor("output_norm.weight", {4, 4}, kF32, 64);
    one_tensor_data(b);
    add("duplicate-tensor-name.gguf", one_tensor_data(b));
  }
  {
    auto b = start(1, 1).str("output_norm.weight").u32(0).u32(kF32).u64(0);
    add("n-dims-0.gguf", one_tensor_data(b));
  }
  {
    auto b = start(1, 1).tensor("output_norm.weight", {4, 4, 1, 1, 1}, kF32, 0);
    add("n-dims-5.gguf", one_tensor_data(b));
  }
  {
    auto b = start(1, 1).tensor("output_norm.weight", {4, 0}, kF32, 0);
    add("dim-zero.gguf", one_tensor_data(b));
  }
  {
    auto b = start(1, 1).tensor("token_embd.weight", {uint64_t(1) << 32, uint64_t(1) << 32}, kF32, 0);
    add("dims-product-overflows.gguf", one_tensor_data(b));
  }
  {
    auto b = start(1, 1).tensor("token_embd.weight", {~uint64_t(0), 1}, kF32, 0);
    add("dim-negative.gguf", one_tensor_data(b));
  }
  {
    // 2^62 elements fit int64, but 2^62 x 8 bytes of f64 do not fit uint64.
    auto b = start(1, 1).tensor("token_embd.weight", {uint64_t(1) << 31, uint64_t(1) << 31}, 28, 0);
    add("bytes-overflow.gguf", one_tensor_data(b));
  }
  {
    auto b = start(1, 1).tensor("output_norm.weight", {4, 4}, 99, 0);
    add("unknown-type-id.gguf", one_tensor_data(b));
  }
  {
    auto b = start(1, 1).tensor("output_norm.weight", {32, 4}, 4, 0);  // Q4_2, removed
    add("removed-type-id-4.gguf", one_tensor_data(b));
  }
  {
    auto b = start(1, 1).tensor("output_norm.weight", {32, 4}, 31, 0);  // Q4_0_4_4, removed
    add("removed-type-id-31.gguf", one_tensor_data(b));
  }
  {
    auto b = start(1, 1).tensor("blk.0.attn_q.weight", {33, 1}, kQ4_0, 0);
    add("ne0-not-block-multiple.gguf", one_tensor_data(b));
  }
  {
    auto b = start(2, 1).tensor("a.weight", {4}, kF32, 0).tensor("b.weight", {4}, kF32, 16);
    add("offset-not-aligned.gguf", one_tensor_data(b));
  }
  {
    auto b = start(1, 1).tensor("output_norm.weight", {4, 4}, kF32, 1024);
    add("offset-past-end.gguf", one_tensor_data(b));
  }
  {
    auto b = start(1, 1).tensor("output_norm.weight", {4, 4}, kF32, ~uint64_t(31));
    add("offset-wraps.gguf", one_tensor_data(b));
  }
  {
    auto b = start(1, 1).tensor("blk.0.attn_q.weight", {16, 16}, kF32, 0);
    add("data-past-end.gguf", one_tensor_data(b));  // 1024 bytes declared, 64 present
  }
  {
    auto b = start(2, 1).tensor("blk.0.attn_k.weight", {4, 4}, kF32, 0).tensor("blk.0.attn_v.weight", {4, 2}, kF32, 32);
    add("overlapping-tensors.gguf", one_tensor_data(b));
  }
  {
    // Alignment 64 declared: an offset of 32 is not a multiple of it.
    auto b = start(1, 2).kv_u32("general.alignment", 64).tensor("output_norm.weight", {4}, kF32, 32);
    add("offset-not-aligned-64.gguf", one_tensor_data(b, 64));
  }
  {
    auto b = start(1, 1).tensor("output_norm.weight", {4, 4}, kF32, 0);
    add("data-section-missing.gguf", b);  // infos end the file: no padding, no data
  }
  return files;
}

}  // namespace specgap::test
