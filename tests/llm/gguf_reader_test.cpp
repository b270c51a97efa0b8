// The reader's contract beyond the corpus: typed access refuses every mismatch instead of
// reinterpreting, open errors are one line, and limits sit where the header says.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "core/error.h"
#include "gguf_corpus.h"
#include "gguf_test_files.h"
#include "llm/gguf_reader.h"
#include "llm/gguf_writer.h"

namespace specgap::llm {
namespace {

using test::GgufBytes;
using test::TempDir;

// The message of the specgap::Error `f` throws; fails the test when it throws nothing.
template <class F> std::string error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "no specgap::Error thrown";
  return "";
}

GgufFile typed_file() {
  GgufWriter w;
  w.set_u32("n", 32);
  w.set_i32("neg", -1);
  w.set_i64("i64", 7);
  w.set_string("s", "text");
  w.set_bool("b", true);
  w.set_u8("u8", 1);
  w.set_f32("f", 0.25f);
  w.set_i32_array("ids", {1, 2, 3});
  w.set_array<uint8_t>("scores_as_u8", {1, 2});
  w.set_string_array("tokens", {"a", "b"});
  return GgufFile::from_bytes(w.to_bytes(), "typed.gguf");
}

TEST(GgufReader, ScalarGettersAcceptTheirTypesAndRefuseOthers) {
  const auto f = typed_file();
  EXPECT_EQ(f.get_uint("n"), 32u);
  EXPECT_EQ(f.get_uint("i64"), 7u);
  EXPECT_EQ(f.get_uint("u8"), 1u);
  EXPECT_EQ(f.get_float("f"), 0.25);
  EXPECT_EQ(f.get_float("n"), 32.0);
  EXPECT_EQ(f.get_string("s"), "text");
  EXPECT_EQ(f.get_bool("b"), true);
  EXPECT_EQ(f.array_length("ids"), 3u);
  EXPECT_FALSE(f.get_uint("absent"));
  EXPECT_FALSE(f.get_string("absent"));
  EXPECT_FALSE(f.get_array<float>("absent"));

  EXPECT_EQ(error_of([&] { f.get_uint("neg"); }), "gguf: typed.gguf: kv 'neg' (at byte 41): -1 is negative");
  EXPECT_EQ(error_of([&] { f.get_uint("s"); }), "gguf: typed.gguf: kv 's' (at byte 83): is string, expected an integer");
  EXPECT_EQ(error_of([&] { f.get_uint("f"); }), "gguf: typed.gguf: kv 'f' (at byte 137): is f32, expected an integer");
  EXPECT_EQ(error_of([&] { f.get_uint("b"); }), "gguf: typed.gguf: kv 'b' (at byte 108): is bool, expected an integer");
  EXPECT_NE(error_of([&] { f.get_float("s"); }).find("is string, expected a number"), std::string::npos);
  EXPECT_NE(error_of([&] { f.get_float("b"); }).find("is bool, expected a number"), std::string::npos);
  EXPECT_NE(error_of([&] { f.get_string("n"); }).find("is u32, expected a string"), std::string::npos);
  EXPECT_NE(error_of([&] { f.get_bool("u8"); }).find("is u8, expected a bool"), std::string::npos);
  EXPECT_NE(error_of([&] { f.array_length("n"); }).find("is u32, expected an array"), std::string::npos);
  EXPECT_NE(error_of([&] { f.get_uint("ids"); }).find("is an array of i32, expected an integer"), std::string::npos);
}

TEST(GgufReader, ArraysAreReadOnlyAsTheTypeTheyHold) {
  const auto f = typed_file();
  EXPECT_EQ(f.get_array<int32_t>("ids"), (std::vector<int32_t>{1, 2, 3}));
  // A u8 array declared where floats are expected (llama.cpp#26690's bug class): refused.
  EXPECT_NE(error_of([&] { f.get_array<float>("scores_as_u8"); }).find("is an array of u8, expected an array of f32"),
            std::string::npos);
  EXPECT_NE(error_of([&] { f.get_array<uint32_t>("ids"); }).find("expected an array of u32"), std::string::npos);
  EXPECT_NE(error_of([&] { f.get_array_element<float>("ids", 0); }).find("expected an array of f32"),
            std::string::npos);
  EXPECT_NE(error_of([&] { f.get_array<int32_t>("tokens"); }).find("is an array of string"), std::string::npos);
  EXPECT_NE(error_of([&] { f.get_string_array("ids"); }).find("expected an array of string"), std::string::npos);
  EXPECT_NE(error_of([&] { f.get_array<int32_t>("n"); }).find("is u32, expected an array of i32"), std::string::npos);
  EXPECT_NE(error_of([&] { f.get_array_element<int32_t>("ids", 3); }).find("index 3 is past the end of its 3 elements"),
            std::string::npos);
  EXPECT_NE(error_of([&] { f.get_string_array_element("tokens", 2); }).find("index 2 is past the end"),
            std::string::npos);
  EXPECT_EQ(error_of([&] { f.get_array_element<int32_t>("absent", 0); }), "gguf: typed.gguf: no key 'absent'");

  const GgufArray& ids = f.find("ids")->array;
  EXPECT_THROW(ids.element(3), std::out_of_range);
  EXPECT_THROW(ids.string_at(0), std::out_of_range);
  EXPECT_THROW(f.find("tokens")->array.element(0), std::out_of_range);
}

TEST(GgufReader, OpenErrorsAreOneLineNamingThePath) {
  TempDir dir;
  EXPECT_EQ(error_of([&] { GgufFile::open(dir.file("missing.gguf")); }),
            "gguf: " + dir.file("missing.gguf") + ": cannot open (No such file or directory)");
  EXPECT_EQ(error_of([&] { GgufFile::open(dir.path().string()); }),
            "gguf: " + dir.path().string() + ": is a directory, not a GGUF file");
  const std::string fifo = dir.file("fifo.gguf");
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_EQ(error_of([&] { GgufFile::open(fifo); }), "gguf: " + fifo + ": not a regular file");
  const std::string text = dir.file("notes.txt");
  std::ofstream(text) << "hello, world\n";
  EXPECT_EQ(error_of([&] { GgufFile::open(text); }),
            "gguf: " + text + ": not a GGUF file (magic \"hell\" at byte 0, expected \"GGUF\")");
}

TEST(GgufReader, NamesInMessagesAreEscapedToStayOnOneLine) {
  GgufBytes b;
  b.header(3, 0, 2).kv_u32("bad\nkey", 1).kv_u32("bad\nkey", 2);
  EXPECT_EQ(error_of([&] { GgufFile::from_bytes(b.bytes, "x.gguf"); }),
            "gguf: x.gguf: kv 'bad\\x0akey' (at byte 47): duplicate key (first at byte 24)");
}

TEST(GgufReader, LimitsAcceptTheLargestLegalValues) {
  // A 63-byte tensor name and general.alignment at its 1 MiB limit open.
  GgufBytes b;
  const std::string name(63, 'n');
  b.header(3, 1, 1).kv_u32("general.alignment", 1u << 20).tensor(name, {4}, 0, 0).pad(1u << 20).zeros(16);
  const auto f = GgufFile::from_bytes(b.bytes, "limits.gguf");
  EXPECT_EQ(f.alignment(), 1u << 20);
  EXPECT_EQ(f.data_offset(), 1u << 20);
  ASSERT_EQ(f.tensors().size(), 1u);
  EXPECT_EQ(f.tensors()[0].name, name);
}

TEST(GgufReader, TensorsMayLeaveGapsAndComeInAnyOrderWhenTheyDoNotOverlap) {
  // Not ggml's contiguous layout, but within the spec: aligned, inside the file, disjoint.
  GgufBytes b;
  b.header(3, 2, 0).tensor("late", {8}, 0, 64).tensor("early", {8}, 0, 0).pad(32).zeros(96);
  const auto f = GgufFile::from_bytes(b.bytes, "gaps.gguf");
  ASSERT_EQ(f.tensors().size(), 2u);
  EXPECT_EQ(f.tensor_file_offset(0), f.data_offset() + 64);
  EXPECT_EQ(f.tensor_file_offset(1), f.data_offset());
}

TEST(GgufReader, TheWholeFileIsCheckedWhenOpenedNotWhenAValueIsRead) {
  // A bad tensor after good metadata: the file does not open at all.
  auto b = GgufBytes{};
  b.header(3, 1, 1).kv_string("general.architecture", "llama").tensor("t", {4}, 0, 4096).pad(32).zeros(16);
  EXPECT_NE(error_of([&] { GgufFile::from_bytes(b.bytes, "late.gguf"); }).find("tensor 't' (info at byte 69)"),
            std::string::npos);
}

}  // namespace
}  // namespace specgap::llm
