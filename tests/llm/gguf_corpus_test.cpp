// The committed malformed corpus: every file in tests/fixtures/gguf/malformed/ is what its recipe
// (gguf_corpus.cpp) builds, is listed below with the exact one-line error it must give, and gives
// it. Also the fuzzer's seeds (fuzz/seeds/). The fuzzer has found nothing yet; a finding becomes a
// recipe here with its exact line, so that its test can fail.
//
// To rewrite the corpus after changing a recipe:
//   SPECGAP_REGENERATE_GGUF_CORPUS=1 build-gguf/tests/test_llm --gtest_filter='GgufCorpus.*'
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>

#include "core/error.h"
#include "gguf_corpus.h"
#include "llm/gguf_reader.h"

namespace specgap::llm {
namespace {

namespace fs = std::filesystem;

const fs::path kMalformed = fs::path(SPECGAP_FIXTURES) / "gguf" / "malformed";
const fs::path kSeeds = fs::path(SPECGAP_FIXTURES) / ".." / ".." / "fuzz" / "seeds";

// What each file must say after "gguf: PATH: ".
const std::map<std::string, std::string> kExpected = {
    {"empty.gguf", "not a GGUF file (magic missing: the file has 0 bytes)"},
    {"bad-magic.gguf", "not a GGUF file (magic \"GGML\" at byte 0, expected \"GGUF\")"},
    {"version-0.gguf", "header: GGUF version 0 at byte 4 is not supported (only 2 and 3)"},
    {"version-1.gguf", "header: GGUF version 1 is not supported (re-convert the file)"},
    {"version-4.gguf", "header: GGUF version 4 at byte 4 is not supported (only 2 and 3)"},
    {"big-endian-version.gguf", "header: version 0x03000000 at byte 4 looks like a big-endian GGUF file, which is not supported"},
    {"truncated-header.gguf", "header: tensor count needs 8 bytes at byte 8, but the file ends 3 bytes later (truncated file)"},
    {"huge-kv-count.gguf", "header: kv count 9223372036854775808 at byte 16 is over the limit of 1048576"},
    {"kv-count-past-end.gguf", "header: kv count 1000 at byte 16 needs at least 14000 bytes, the file has 17 left"},
    {"huge-tensor-count.gguf", "header: tensor count 18446744073709551615 at byte 8 is over the limit of 1048576"},
    {"tensor-count-past-end.gguf", "header: tensor count 1000 at byte 8 needs at least 33000 bytes after the metadata, the file has 31 left"},
    {"truncated-in-string.gguf", "kv 'general.name' (at byte 24): string length 100 at byte 48 runs past the end of the file (5 bytes left; truncated file)"},
    {"huge-string-length.gguf", "kv 'general.name' (at byte 24): string length 4611686018427387904 at byte 48 is over the 16777216-byte limit"},
    {"key-too-long.gguf", "kv 0 key (at byte 24): key length 70000 at byte 24 is over the 65535-byte limit"},
    {"empty-key.gguf", "kv 0 key (at byte 24): empty key"},
    {"duplicate-key.gguf", "kv 'general.architecture' (at byte 69): duplicate key (first at byte 24)"},
    {"bad-value-type.gguf", "kv 'llama.block_count' (at byte 69): value type 13 at byte 94 is not a GGUF type (0..12)"},
    {"bad-bool.gguf", "kv 'tokenizer.ggml.add_bos_token' (at byte 69): bool at byte 109 is 2, must be 0 or 1"},
    {"truncated-value.gguf", "kv 'llama.context_length' (at byte 69): u64 value needs 8 bytes at byte 101, but the file ends 4 bytes later (truncated file)"},
    {"huge-array-count.gguf", "kv 'tokenizer.ggml.token_type' (at byte 69): array count 1099511627776 at byte 110 is over the limit of 1073741824"},
    {"array-count-past-end.gguf", "kv 'tokenizer.ggml.scores' (at byte 69): array of 1000 f32 at byte 106 runs past the end of the file (8 bytes left; truncated file)"},
    {"string-array-count-past-end.gguf", "kv 'tokenizer.ggml.tokens' (at byte 69): array of 100 strings at byte 106 needs at least 800 bytes, the file has 18 left"},
    {"string-array-element-past-end.gguf", "kv 'tokenizer.ggml.tokens' (at byte 69): element 2 string length 50 at byte 132 runs past the end of the file (1 bytes left; truncated file)"},
    {"nested-array.gguf", "kv 'tokenizer.ggml.merges' (at byte 69): array of arrays at byte 102: nested arrays are not supported"},
    {"bad-array-element-type.gguf", "kv 'tokenizer.ggml.merges' (at byte 69): array element type 99 at byte 102 is not a GGUF type (0..12)"},
    {"bad-bool-in-array.gguf", "kv 'flags' (at byte 69): bool at byte 100 is 255, must be 0 or 1"},
    {"alignment-not-power-of-two.gguf", "kv 'general.alignment' (at byte 69): 48 is not a power of two"},
    {"alignment-zero.gguf", "kv 'general.alignment' (at byte 69): 0 is not a power of two"},
    {"alignment-too-large.gguf", "kv 'general.alignment' (at byte 69): 2097152 is over the limit of 1048576"},
    {"alignment-wrong-type.gguf", "kv 'general.alignment' (at byte 69): type is u64, must be u32"},
    {"truncated-tensor-info.gguf", "tensor 'token_embd.weight' (info at byte 69): offset needs 8 bytes at byte 118, but the file ends 3 bytes later (truncated file)"},
    {"empty-tensor-name.gguf", "tensor 0 name (at byte 69): empty name"},
    {"tensor-name-too-long.gguf", "tensor 0 name (at byte 69): 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' is 64 bytes, over ggml's limit of 63"},
    {"duplicate-tensor-name.gguf", "tensor 'output_norm.weight' (info at byte 127): duplicate tensor name (first at byte 69)"},
    {"n-dims-0.gguf", "tensor 'output_norm.weight' (info at byte 69): n_dims 0 is outside 1..4"},
    {"n-dims-5.gguf", "tensor 'output_norm.weight' (info at byte 69): n_dims 5 is outside 1..4"},
    {"dim-zero.gguf", "tensor 'output_norm.weight' (info at byte 69): dimension 1 is 0"},
    {"dims-product-overflows.gguf", "tensor 'token_embd.weight' (info at byte 69): dimensions 4294967296 x 4294967296 hold more than 2^63 elements"},
    {"dim-negative.gguf", "tensor 'token_embd.weight' (info at byte 69): dimensions 18446744073709551615 x 1 hold more than 2^63 elements"},
    {"bytes-overflow.gguf", "tensor 'token_embd.weight' (info at byte 69): 2147483648 rows of 17179869184 bytes (f64) overflow 64 bits"},
    {"unknown-type-id.gguf", "tensor 'output_norm.weight' (info at byte 69): type 99 at byte 115 is not a ggml type that files hold (unknown or removed)"},
    {"removed-type-id-4.gguf", "tensor 'output_norm.weight' (info at byte 69): type 4 at byte 115 is not a ggml type that files hold (unknown or removed)"},
    {"removed-type-id-31.gguf", "tensor 'output_norm.weight' (info at byte 69): type 31 at byte 115 is not a ggml type that files hold (unknown or removed)"},
    {"ne0-not-block-multiple.gguf", "tensor 'blk.0.attn_q.weight' (info at byte 69): ne[0] 33 is not a whole number of q4_0 blocks (32 elements)"},
    {"offset-not-aligned.gguf", "tensor 'b.weight' (info at byte 109): offset 16 at byte 141 is not a multiple of the alignment 32"},
    {"offset-past-end.gguf", "tensor 'output_norm.weight' (info at byte 69): offset 1024 from the data section at byte 128 is past the end of the file (192 bytes)"},
    {"offset-wraps.gguf", "tensor 'output_norm.weight' (info at byte 69): offset 18446744073709551584 from the data section at byte 128 is past the end of the file (192 bytes)"},
    {"data-past-end.gguf", "tensor 'blk.0.attn_q.weight' (info at byte 69): data ends at byte 1152, past the end of the file (192 bytes)"},
    {"overlapping-tensors.gguf", "tensor 'blk.0.attn_v.weight' (info at byte 128): data [224, 256) overlaps tensor 'blk.0.attn_k.weight' [192, 256)"},
    {"offset-not-aligned-64.gguf", "tensor 'output_norm.weight' (info at byte 102): offset 32 at byte 144 is not a multiple of the alignment 64"},
    {"data-section-missing.gguf", "tensor 'output_norm.weight' (info at byte 69): offset 0 from the data section at byte 128 is past the end of the file (127 bytes)"},
};

std::vector<std::byte> read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::vector<char> chars((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::byte> bytes(chars.size());
  for (size_t i = 0; i < chars.size(); ++i) bytes[i] = std::byte(chars[i]);
  return bytes;
}

std::string open_error(const std::string& path) {
  try {
    GgufFile::open(path);
  } catch (const Error& e) {
    return e.what();
  }
  return "(opened)";
}

TEST(GgufCorpus, CommittedFilesAreWhatTheirRecipesBuild) {
  const auto corpus = test::malformed_gguf_corpus();
  if (std::getenv("SPECGAP_REGENERATE_GGUF_CORPUS")) {
    fs::create_directories(kMalformed);
    for (const auto& entry : fs::directory_iterator(kMalformed)) fs::remove(entry.path());
    for (const auto& f : corpus) {
      std::ofstream out(kMalformed / f.name, std::ios::binary);
      out.write(reinterpret_cast<const char*>(f.bytes.data()), std::streamsize(f.bytes.size()));
    }
  }
  std::set<std::string> names;
  for (const auto& f : corpus) {
    SCOPED_TRACE(f.name);
    EXPECT_TRUE(names.insert(f.name).second) << "two recipes with one name";
    EXPECT_LT(f.bytes.size(), 4096u);
    EXPECT_EQ(read_file(kMalformed / f.name), f.bytes) << "regenerate the corpus (see the top of this file)";
  }
  for (const auto& entry : fs::directory_iterator(kMalformed))
    EXPECT_TRUE(names.count(entry.path().filename().string())) << entry.path() << " has no recipe";
}

TEST(GgufCorpus, EveryFileFailsWithItsOneLineMessage) {
  size_t files = 0;
  for (const auto& entry : fs::directory_iterator(kMalformed)) {
    const std::string name = entry.path().filename().string();
    SCOPED_TRACE(name);
    ++files;
    const auto expected = kExpected.find(name);
    ASSERT_NE(expected, kExpected.end()) << "add the file's message to kExpected";
    const std::string path = entry.path().string();
    EXPECT_EQ(open_error(path), "gguf: " + path + ": " + expected->second);
    // The same checks on bytes in memory.
    try {
      GgufFile::from_bytes(read_file(entry.path()), name);
      ADD_FAILURE() << "from_bytes opened it";
    } catch (const Error& e) {
      EXPECT_EQ(std::string(e.what()), "gguf: " + name + ": " + expected->second);
    }
  }
  EXPECT_EQ(files, kExpected.size()) << "a file listed in kExpected is missing";
}

// Inputs the fuzzer once found troublesome: each must now open or fail with one line.
TEST(GgufCorpus, FuzzSeedsAreValidFiles) {
  size_t seeds = 0;
  for (const auto& entry : fs::directory_iterator(kSeeds)) {
    SCOPED_TRACE(entry.path().filename().string());
    ++seeds;
    EXPECT_NO_THROW(GgufFile::open(entry.path().string()));
  }
  EXPECT_GE(seeds, 5u);
}

}  // namespace
}  // namespace specgap::llm
