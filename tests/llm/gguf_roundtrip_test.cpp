// Writer -> reader: every metadata type, tensors of several types at alignments 32 and 64, ggml's
// placement rule, a 0-tensor file, a Llama-like file with the real vocabulary size, a v2 header.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>

#include "core/error.h"
#include "gguf_test_files.h"
#include "llm/gguf_reader.h"
#include "llm/gguf_writer.h"
#include "llm/model_config.h"

namespace specgap::llm {
namespace {

using test::LlamaLikeModel;
using test::TempDir;

uint64_t padded(uint64_t x, uint64_t a) { return (x + a - 1) / a * a; }

TEST(GgufRoundTrip, EveryMetadataTypeReadsBackAsWritten) {
  GgufWriter w;
  w.set_u8("t.u8", 250);
  w.set_i8("t.i8", -100);
  w.set_u16("t.u16", 65000);
  w.set_i16("t.i16", -32000);
  w.set_u32("t.u32", 4000000000u);
  w.set_i32("t.i32", -2000000000);
  w.set_u64("t.u64", std::numeric_limits<uint64_t>::max());
  w.set_i64("t.i64", std::numeric_limits<int64_t>::min());
  w.set_f32("t.f32", 1e-5f);
  w.set_f64("t.f64", -0.1);
  w.set_bool("t.true", true);
  w.set_bool("t.false", false);
  w.set_string("t.string", std::string("a\0b\n\xff", 5));
  w.set_string("t.empty", "");
  w.set_array<uint8_t>("a.u8", {0, 255});
  w.set_array<int8_t>("a.i8", {-128, 127});
  w.set_array<uint16_t>("a.u16", {1, 65535});
  w.set_array<int16_t>("a.i16", {-1});
  w.set_array<uint32_t>("a.u32", {7, 8, 9});
  w.set_i32_array("a.i32", {-1, 0, 1});
  w.set_f32_array("a.f32", {0.5f, -2.0f, std::numeric_limits<float>::infinity()});
  w.set_array<bool>("a.bool", {true, false, true});
  w.set_array<uint64_t>("a.u64", {uint64_t(1) << 63});
  w.set_array<int64_t>("a.i64", {-5});
  w.set_array<double>("a.f64", {3.25});
  w.set_string_array("a.string", {"x", "", "<|begin_of_text|>"});
  w.set_f32_array("a.empty", {});

  const auto f = GgufFile::from_bytes(w.to_bytes(), "types.gguf");
  EXPECT_EQ(f.version(), 3u);
  ASSERT_EQ(f.metadata().size(), 27u);
  EXPECT_EQ(f.metadata()[0].key, "t.u8");  // file order is insertion order
  EXPECT_EQ(f.metadata()[26].key, "a.empty");
  EXPECT_TRUE(f.tensors().empty());

  EXPECT_EQ(f.find("t.u8")->type, GgufValueType::u8);
  EXPECT_EQ(f.get_uint("t.u8"), 250u);
  EXPECT_EQ(f.find("t.i8")->scalar.to_int(), -100);
  EXPECT_EQ(f.get_uint("t.u16"), 65000u);
  EXPECT_EQ(f.find("t.i16")->scalar.to_int(), -32000);
  EXPECT_EQ(f.get_uint("t.u32"), 4000000000u);
  EXPECT_EQ(f.find("t.i32")->scalar.to_int(), -2000000000);
  EXPECT_EQ(f.get_uint("t.u64"), std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(f.find("t.i64")->scalar.to_int(), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(f.get_float("t.f32"), double(1e-5f));
  EXPECT_EQ(f.get_float("t.f64"), -0.1);
  EXPECT_EQ(f.get_float("t.u32"), 4e9);  // integers read as numbers too
  EXPECT_EQ(f.get_bool("t.true"), true);
  EXPECT_EQ(f.get_bool("t.false"), false);
  EXPECT_EQ(f.get_string("t.string"), std::string_view("a\0b\n\xff", 5));
  EXPECT_EQ(f.get_string("t.empty"), "");

  EXPECT_EQ(f.get_array<uint8_t>("a.u8"), (std::vector<uint8_t>{0, 255}));
  EXPECT_EQ(f.get_array<int8_t>("a.i8"), (std::vector<int8_t>{-128, 127}));
  EXPECT_EQ(f.get_array<uint16_t>("a.u16"), (std::vector<uint16_t>{1, 65535}));
  EXPECT_EQ(f.get_array<int16_t>("a.i16"), (std::vector<int16_t>{-1}));
  EXPECT_EQ(f.get_array<uint32_t>("a.u32"), (std::vector<uint32_t>{7, 8, 9}));
  EXPECT_EQ(f.get_array<int32_t>("a.i32"), (std::vector<int32_t>{-1, 0, 1}));
  EXPECT_EQ(f.get_array<float>("a.f32"), (std::vector<float>{0.5f, -2.0f, std::numeric_limits<float>::infinity()}));
  EXPECT_EQ(f.get_array<bool>("a.bool"), (std::vector<bool>{true, false, true}));
  EXPECT_EQ(f.get_array<uint64_t>("a.u64"), (std::vector<uint64_t>{uint64_t(1) << 63}));
  EXPECT_EQ(f.get_array<int64_t>("a.i64"), (std::vector<int64_t>{-5}));
  EXPECT_EQ(f.get_array<double>("a.f64"), (std::vector<double>{3.25}));
  EXPECT_EQ(f.get_string_array("a.string"), (std::vector<std::string_view>{"x", "", "<|begin_of_text|>"}));
  EXPECT_EQ(f.array_length("a.empty"), 0u);
  EXPECT_EQ(f.get_array<float>("a.empty"), std::vector<float>{});

  EXPECT_EQ(f.get_array_element<uint32_t>("a.u32", 2), 9u);
  EXPECT_EQ(f.get_array_element<float>("a.f32", 1), -2.0f);
  EXPECT_EQ(f.get_array_element<bool>("a.bool", 1), false);
  EXPECT_EQ(f.get_string_array_element("a.string", 2), "<|begin_of_text|>");
  EXPECT_EQ(f.find("a.i32")->array.element(0).to_int(), -1);
  EXPECT_EQ(f.find("a.u64")->array.element(0).to_uint(), uint64_t(1) << 63);
  EXPECT_FALSE(f.find("a.u64")->array.element(0).to_int());  // above int64: no silent wrap
}

TEST(GgufRoundTrip, SettingAKeyAgainReplacesItInPlace) {
  GgufWriter w;
  w.set_u32("a", 1);
  w.set_u32("b", 2);
  w.set_string("a", "one");
  const auto f = GgufFile::from_bytes(w.to_bytes(), "replace.gguf");
  ASSERT_EQ(f.metadata().size(), 2u);
  EXPECT_EQ(f.metadata()[0].key, "a");
  EXPECT_EQ(f.get_string("a"), "one");
}

class GgufAlignment : public ::testing::TestWithParam<uint32_t> {};

TEST_P(GgufAlignment, TensorsLieWhereGgmlExpectsThemWithTheirBytes) {
  const uint32_t alignment = GetParam();
  struct Spec {
    std::string name;
    GgmlType type;
    std::vector<uint64_t> dims;
  };
  const std::vector<Spec> specs = {
      {"f32.weight", GgmlType::f32, {7, 3}},          {"f16.weight", GgmlType::f16, {5}},
      {"q4_0.weight", GgmlType::q4_0, {64, 3}},       {"q6_k.weight", GgmlType::q6_k, {256, 2}},
      {"q8_0.weight", GgmlType::q8_0, {32, 1, 2}},    {"bf16.weight", GgmlType::bf16, {3, 2, 2, 2}},
      {"q4_k.weight", GgmlType::q4_k, {512, 1}},      {"mxfp4.weight", GgmlType::mxfp4, {32, 2, 3}},
      {"i8.weight", GgmlType::i8, {1}},
  };
  std::vector<std::vector<std::byte>> data;
  GgufWriter w;
  w.set_string("general.architecture", "llama");
  for (size_t i = 0; i < specs.size(); ++i) {
    const auto& s = specs[i];
    uint64_t rows = 1;
    for (size_t d = 1; d < s.dims.size(); ++d) rows *= s.dims[d];
    const uint64_t bytes = *ggml_row_bytes(s.type, s.dims[0]) * rows;
    data.emplace_back(bytes);
    for (uint64_t b = 0; b < bytes; ++b) data.back()[b] = std::byte((b * 7 + i) & 0xff);
    w.add_tensor(s.name, s.type, s.dims, data.back().data(), bytes);
  }
  TempDir dir;
  const std::string path = dir.file("tensors.gguf");
  w.write(path, alignment);
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));

  const auto f = GgufFile::open(path);
  EXPECT_EQ(f.alignment(), alignment);
  if (alignment == 32) {
    EXPECT_EQ(f.find("general.alignment"), nullptr);
  } else {
    ASSERT_NE(f.find("general.alignment"), nullptr);
    EXPECT_EQ(f.find("general.alignment")->type, GgufValueType::u32);
  }
  EXPECT_EQ(f.data_offset() % alignment, 0u);
  ASSERT_EQ(f.tensors().size(), specs.size());
  uint64_t expected_offset = 0;  // ggml: each tensor at the padded sum of the sizes before it
  for (size_t i = 0; i < specs.size(); ++i) {
    const auto& t = f.tensors()[i];
    SCOPED_TRACE(t.name);
    EXPECT_EQ(t.name, specs[i].name);
    EXPECT_EQ(t.type, specs[i].type);
    ASSERT_EQ(t.n_dims, specs[i].dims.size());
    for (size_t d = 0; d < 4; ++d) EXPECT_EQ(t.ne[d], d < specs[i].dims.size() ? specs[i].dims[d] : 1u);
    EXPECT_EQ(t.bytes, data[i].size());
    EXPECT_EQ(f.tensor_file_offset(i), f.data_offset() + expected_offset);
    EXPECT_EQ(0, std::memcmp(t.data, data[i].data(), t.bytes));
    EXPECT_EQ(f.find_tensor(specs[i].name), &t);
    expected_offset += padded(t.bytes, alignment);
  }
  EXPECT_EQ(f.file_bytes(), f.data_offset() + expected_offset);
  EXPECT_EQ(f.find_tensor("missing"), nullptr);

  // The same bytes in memory read the same.
  const auto g = GgufFile::from_bytes(w.to_bytes(alignment), "memory");
  EXPECT_EQ(g.file_bytes(), f.file_bytes());
  EXPECT_EQ(g.data_offset(), f.data_offset());
}

INSTANTIATE_TEST_SUITE_P(Alignments, GgufAlignment, ::testing::Values(32u, 64u, 4096u));

TEST(GgufRoundTrip, AZeroTensorFileHasNoDataSectionPadding) {
  GgufWriter w;
  w.set_string("general.architecture", "llama");
  w.set_u32("llama.block_count", 16);
  const auto bytes = w.to_bytes();
  const auto f = GgufFile::from_bytes(bytes, "vocab.gguf");
  EXPECT_TRUE(f.tensors().empty());
  EXPECT_EQ(f.data_offset(), bytes.size());  // the metadata ends the file, unpadded, as in ggml's vocab files
  EXPECT_NE(bytes.size() % 32, 0u);
  EXPECT_EQ(f.file_bytes(), bytes.size());

  // An empty file apart from the header is valid too.
  const auto empty = GgufFile::from_bytes(GgufWriter{}.to_bytes(), "empty.gguf");
  EXPECT_EQ(empty.file_bytes(), 24u);
  EXPECT_TRUE(empty.metadata().empty());
}

TEST(GgufRoundTrip, AVersion2HeaderReadsAsVersion3Does) {
  GgufWriter w;
  w.set_string("general.architecture", "llama");
  auto bytes = w.to_bytes();
  bytes[4] = std::byte{2};
  const auto f = GgufFile::from_bytes(bytes, "v2.gguf");
  EXPECT_EQ(f.version(), 2u);
  EXPECT_EQ(f.get_string("general.architecture"), "llama");
}

// The engines take one head width for keys and values: a file that says otherwise is refused in one
// line (before, a Llama file's value_length was not read at all).
TEST(GgufRoundTrip, ALlamaFileWhoseValueHeadsDifferFromItsKeyHeadsIsRefused) {
  LlamaLikeModel model(1000);
  EXPECT_EQ(llm::config_from_gguf(GgufFile::from_bytes(model.writer.to_bytes(), "llama.gguf")).head_dim,
            LlamaLikeModel::head_dim);
  model.writer.set_u32("llama.attention.value_length", 2 * LlamaLikeModel::head_dim);
  try {
    llm::config_from_gguf(GgufFile::from_bytes(model.writer.to_bytes(), "llama.gguf"));
    FAIL() << "read a file whose value heads are wider than its key heads";
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("llama.gguf: llama.attention.value_length differs from key_length"), std::string::npos) << what;
    EXPECT_EQ(what.find('\n'), std::string::npos) << what;
  }
}

TEST(GgufRoundTrip, ALlamaLikeFileWithTheFullVocabularyReadsBack) {
  LlamaLikeModel model;
  TempDir dir;
  const std::string path = dir.file("llama.gguf");
  model.writer.write(path);
  const auto f = GgufFile::open(path);

  EXPECT_EQ(f.get_string("general.architecture"), "llama");
  EXPECT_EQ(f.get_uint("llama.block_count"), 1u);
  EXPECT_EQ(f.get_uint("llama.context_length"), 131072u);
  EXPECT_EQ(f.get_float("llama.rope.freq_base"), 500000.0);
  EXPECT_EQ(f.get_float("llama.attention.layer_norm_rms_epsilon"), double(1e-5f));
  EXPECT_EQ(f.array_length("tokenizer.ggml.tokens"), 128256u);
  EXPECT_EQ(f.get_string_array_element("tokenizer.ggml.tokens", 128000), "<|begin_of_text|>");
  EXPECT_EQ(f.get_string_array_element("tokenizer.ggml.tokens", 128255), "<|reserved_special_token_253|>");
  EXPECT_EQ(f.get_array_element<int32_t>("tokenizer.ggml.token_type", 128001), 3);
  const auto tokens = f.get_string_array("tokenizer.ggml.tokens");
  ASSERT_TRUE(tokens);
  ASSERT_EQ(tokens->size(), 128256u);
  for (uint32_t i = 0; i < tokens->size(); i += 997) EXPECT_EQ((*tokens)[i], test::llama3_token(i));
  EXPECT_EQ(f.get_uint("tokenizer.ggml.bos_token_id"), 128000u);
  EXPECT_FALSE(f.get_uint("llama.expert_count"));  // absent: nullopt

  ASSERT_EQ(f.tensors().size(), 12u);
  const TensorView* q = f.find_tensor("blk.0.attn_q.weight");
  ASSERT_NE(q, nullptr);
  EXPECT_EQ(q->type, GgmlType::q4_k);
  EXPECT_EQ(shape_string(*q), "256 x 256");
  EXPECT_EQ(q->bytes, 256u / 256 * 144 * 256);
  EXPECT_EQ(0, std::memcmp(q->data, model.data[4]->data(), q->bytes));
  const TensorView* embd = f.find_tensor("token_embd.weight");
  ASSERT_NE(embd, nullptr);
  EXPECT_EQ(embd->type, GgmlType::q6_k);
}

}  // namespace
}  // namespace specgap::llm
