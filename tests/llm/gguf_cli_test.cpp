// `specgap gguf FILE` end to end: a Llama-like file as text and as JSON, a malformed file (one line,
// exit 1) and usage errors (exit 2).
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/specgap_process.h"
#include "gguf_test_files.h"

namespace specgap::test {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

const fs::path kMalformed = fs::path(SPECGAP_FIXTURES) / "gguf" / "malformed";

Outcome gguf(const std::vector<std::string>& args) {
  std::vector<std::string> all = {"gguf"};
  all.insert(all.end(), args.begin(), args.end());
  return run_specgap(all, SpawnOptions{}, 60s);
}

class GgufCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    LlamaLikeModel model(LlamaLikeModel::n_vocab);
    model.writer.write(dir_->file("llama.gguf"));
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static std::string model_path() { return dir_->file("llama.gguf"); }
  static TempDir* dir_;
};
TempDir* GgufCli::dir_ = nullptr;

TEST_F(GgufCli, TextShowsHeaderMetadataTensorsAndTotals) {
  const Outcome o = gguf({model_path()});
  ASSERT_TRUE(o.exited && o.exit_code == 0) << o.describe();
  EXPECT_TRUE(o.err.empty()) << o.err;
  for (const std::string& s : {
           std::string("GGUF ") + model_path(),
           std::string(" version      3\n file size    2."),
           std::string("tokenizer.ggml.tokens"),
           std::string("[string x 128256]  \"tok0\", \"tok1\", \"tok2\", \"tok3\", ..."),
           std::string("llama.rope.freq_base"),
           std::string("500000"),
           std::string("\"Llama 3.2 1B Instruct (specgap test copy)\""),
           std::string("blk.0.attn_q.weight"),
           std::string("256 x 256"),
           std::string("Totals by type"),
           std::string("parameters: 688.9 K (688912)"),
       })
    EXPECT_NE(o.out.find(s), std::string::npos) << "missing: " << s << "\n" << o.out;
  // The chat template's newline is escaped: every metadata row is one line.
  EXPECT_NE(o.out.find("\"{{- bos_token }}\\n{%- for message in messages %}"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("\"... (84 bytes)"), std::string::npos) << o.out;
}

TEST_F(GgufCli, JsonCarriesTheSameFacts) {
  const Outcome o = gguf({model_path(), "--json"});
  ASSERT_TRUE(o.exited && o.exit_code == 0) << o.describe();
  const auto j = nlohmann::json::parse(o.out);
  EXPECT_EQ(j["version"], 3);
  EXPECT_EQ(j["alignment"], 32);
  EXPECT_EQ(j["file_bytes"], fs::file_size(model_path()));
  EXPECT_EQ(j["tensor_count"], 12);
  EXPECT_EQ(j["kv_count"], j["metadata"].size());
  bool saw_tokens = false;
  for (const auto& kv : j["metadata"]) {
    if (kv["key"] == "tokenizer.ggml.tokens") {
      saw_tokens = true;
      EXPECT_EQ(kv["type"], "array");
      EXPECT_EQ(kv["element_type"], "string");
      EXPECT_EQ(kv["count"], 128256);
      EXPECT_EQ(kv["head"][0], "tok0");
    }
    if (kv["key"] == "llama.block_count") {
      EXPECT_EQ(kv["value"], 1);
    }
  }
  EXPECT_TRUE(saw_tokens);
  uint64_t elements = 0, bytes = 0;
  for (const auto& t : j["tensors"]) {
    elements += t["elements"].get<uint64_t>();
    bytes += t["bytes"].get<uint64_t>();
    EXPECT_EQ(t["file_offset"].get<uint64_t>() % 32, 0u);
  }
  EXPECT_EQ(j["tensors"][4]["name"], "blk.0.attn_q.weight");
  EXPECT_EQ(j["tensors"][4]["shape"], nlohmann::json({256, 256}));
  EXPECT_EQ(j["totals"]["parameters"], elements);
  EXPECT_EQ(j["totals"]["tensor_bytes"], bytes);
  for (const auto& t : j["totals"]["by_type"])
    if (t["type"] == "q4_k") {
      EXPECT_DOUBLE_EQ(t["bits_per_weight"].get<double>(), 4.5);
    }
}

TEST_F(GgufCli, AMalformedFileIsOneLineAndExit1) {
  const std::string path = (kMalformed / "data-past-end.gguf").string();
  const Outcome o = gguf({path});
  ASSERT_TRUE(o.exited) << o.describe();
  EXPECT_EQ(o.exit_code, 1) << o.describe();
  EXPECT_TRUE(o.out.empty()) << o.out;
  ASSERT_EQ(o.err_lines().size(), 1u) << o.err;
  EXPECT_EQ(o.err_lines()[0], "specgap: gguf: " + path +
                                  ": tensor 'blk.0.attn_q.weight' (info at byte 69): data ends at byte 1152, past the "
                                  "end of the file (192 bytes)");
  const Outcome missing = gguf({dir_->file("missing.gguf")});
  EXPECT_EQ(missing.exit_code, 1) << missing.describe();
  EXPECT_EQ(missing.err_lines().size(), 1u) << missing.err;
}

TEST_F(GgufCli, UsageErrorsExit2) {
  const Outcome none = gguf({});
  EXPECT_EQ(none.exit_code, 2) << none.describe();
  EXPECT_EQ(none.err_lines().size(), 1u) << none.err;
}

// --csv, as every command takes it: one table a spreadsheet reads, a row per tensor (the header and
// the metadata are in --json).
TEST_F(GgufCli, CsvIsTheTensorTable) {
  const Outcome csv = gguf({model_path(), "--csv"});
  ASSERT_TRUE(csv.exited && csv.exit_code == 0) << csv.describe();
  const auto json = nlohmann::json::parse(gguf({model_path(), "--json"}).out);
  std::vector<std::string> lines;
  std::istringstream in(csv.out);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  ASSERT_EQ(lines.size(), json["tensors"].size() + 1) << csv.out;
  EXPECT_EQ(lines[0], "name,type,shape,elements,bytes,file offset");
  EXPECT_EQ(lines[1].rfind(json["tensors"][0]["name"].get<std::string>() + ",", 0), 0u) << lines[1];
}

}  // namespace
}  // namespace specgap::test
