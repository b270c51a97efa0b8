// The catalog loader: every shipped file loads and keeps claims apart from measurements; a malformed
// file is refused with its file and line; a user's folder adds systems and overrides shipped ones.
#include "catalog/catalog.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/error.h"

namespace specgap::catalog {
namespace {
namespace fs = std::filesystem;

class CatalogFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "specgap-catalog-XXXXXX").string();
    dir_ = mkdtemp(pattern.data());
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string write(const std::string& stem, const std::string& text) const {
    const auto path = (dir_ / (stem + ".toml")).string();
    std::ofstream(path) << text;
    return path;
  }
  // The message load_system throws for `text`, or "" when it loads.
  std::string failure(const std::string& stem, const std::string& text) const {
    try {
      load_system(write(stem, text));
      return "";
    } catch (const Error& e) {
      return e.what();
    }
  }
  fs::path dir_;
};

constexpr const char* kSystem = R"(
[system]
id = "box"
name = "A Box"
kind = "gpu"
match = ["BOX1"]
)";

TEST(Catalog, EveryShippedSystemLoadsWithItsSources) {
  const auto systems = load_catalog({default_catalog_dir()});
  ASSERT_GE(systems.size(), 17u);
  for (auto& s : systems) {
    EXPECT_FALSE(s.name.empty()) << s.file;
    for (auto& f : s.claims) EXPECT_FALSE(f.source.empty()) << s.id << " line " << f.line;
    for (auto& f : s.measured) EXPECT_FALSE(f.source.empty()) << s.id << " line " << f.line;
  }
  auto spark = std::find_if(systems.begin(), systems.end(), [](auto& s) { return s.id == "nvidia-dgx-spark"; });
  ASSERT_NE(spark, systems.end());
  EXPECT_EQ(spark->kind, "apu");
  ASSERT_TRUE(spark->price.has_value());
  EXPECT_DOUBLE_EQ(spark->price->usd, 3999);
  auto fp4 = std::find_if(spark->claims.begin(), spark->claims.end(),
                          [](auto& f) { return f.what == "compute" && f.dtype == "fp4"; });
  ASSERT_NE(fp4, spark->claims.end());
  EXPECT_DOUBLE_EQ(fp4->value, 1000);
  EXPECT_TRUE(fp4->sparse) << "the 1 PFLOPS claim counts sparsity";
  EXPECT_TRUE(std::any_of(spark->measured.begin(), spark->measured.end(),
                          [](auto& f) { return f.what == "llm_tg" && f.unit == "tokens/s" && f.detail.contains("model"); }));
}

TEST_F(CatalogFiles, AWellFormedFileKeepsClaimsDerivedAndMeasurementsApart) {
  const auto s = load_system(write("box", std::string(kSystem) + R"(
[price]
usd = 1999
date = "2026-01"
source = "https://example.com/box"

[[claim]]
what = "memory_bandwidth"
value = 256
unit = "GB/s"
memory_type = "LPDDR5X"
source = "https://example.com/spec"
verified = "read"

[[derived]]
what = "compute"
dtype = "fp4"
value = 100
unit = "TFLOP/s"
formula = "200 sparse / 2"

[[measured]]
what = "llm_tg"
model = "gpt-oss-120b"
quant = "MXFP4"
value = 38.6
unit = "tokens/s"
tool = "llama.cpp llama-bench"
source = "https://example.com/bench"
)"));
  EXPECT_EQ(s.id, "box");
  EXPECT_EQ(s.match_gpu, std::vector<std::string>{"BOX1"});  // a gpu's names are its GPU's
  EXPECT_TRUE(s.match_cpu.empty());
  EXPECT_EQ(s.claims[0].device, "gpu");
  ASSERT_EQ(s.claims.size(), 1u);
  EXPECT_EQ(s.claims[0].detail["memory_type"], "LPDDR5X");
  EXPECT_EQ(s.claims[0].verified, "read");
  EXPECT_GT(s.claims[0].line, 10);
  ASSERT_EQ(s.derived.size(), 1u);
  EXPECT_EQ(s.derived[0].detail["formula"], "200 sparse / 2");
  ASSERT_EQ(s.measured.size(), 1u);
  EXPECT_DOUBLE_EQ(s.measured[0].value, 38.6);
  EXPECT_EQ(s.measured[0].detail["tool"], "llama.cpp llama-bench");
}

TEST_F(CatalogFiles, EachMistakeIsNamedWithItsFileAndLine) {
  const std::string claim = "\n[[claim]]\nwhat = \"compute\"\ndtype = \"bf16\"\nvalue = 100\nunit = \"TFLOP/s\"\nsource = \"s\"\n";
  struct Case {
    std::string text, expect;
  };
  const std::vector<Case> cases = {
      {std::string(kSystem) + "\n[[claim]]\nwhat = \"compute\"\nvaleu = 1\n", "[claim] has an unknown key 'valeu'"},
      {std::string(kSystem) + "\n[[claim]]\nwhat = \"compute\"\nvalue = 1\nunit = \"TFLOP/s\"\n", "[[claim]] compute has no source"},
      {std::string(kSystem) + "\n[[claim]]\nwhat = \"compute\"\nvalue = 1\nunit = \"GB/s\"\nsource = \"s\"\n",
       "[[claim]] compute in 'GB/s': expected TFLOP/s or TOP/s"},
      {std::string(kSystem) + "\n[[claim]]\nwhat = \"compute\"\nvalue = \"fast\"\nunit = \"TFLOP/s\"\nsource = \"s\"\n",
       "[claim] 'value' must be a number"},
      {std::string(kSystem) + "\n[[claim]]\nwhat = \"compute\"\ndtype = \"fp3\"\nvalue = 1\nunit = \"TFLOP/s\"\nsource = \"s\"\n",
       "dtype 'fp3'"},
      {std::string(kSystem) + "\n[[measured]]\nwhat = \"llm_tg\"\nvalue = 1\nunit = \"tokens/s\"\nsource = \"s\"\nverified = \"maybe\"\n",
       "verified = 'maybe'"},
      {std::string(kSystem) + "\n[[derived]]\nwhat = \"compute\"\nvalue = 1\nunit = \"TFLOP/s\"\n", "[[derived]] has no formula"},
      {std::string(kSystem) + "\n[prices]\nusd = 1\n", "unknown table 'prices'"},
      {std::string(kSystem) + claim + "\n[[claim]]\nwhat = \"warp_drive\"\nvalue = 1\nunit = \"c\"\nsource = \"s\"\n",
       "what = 'warp_drive'"},
      {"[system]\nid = \"other\"\nname = \"x\"\nkind = \"gpu\"\n", "id 'other' differs from the file's name 'box'"},
      {"[system]\nid = \"box\"\nname = \"x\"\nkind = \"toaster\"\n", "kind 'toaster'"},
      {"[system]\nid = \"box\"\nname = \"x\"\nkind = \"gpu\n", "box.toml:4"},
      {"[price]\nusd = 1\n", "no [system] table"},
  };
  for (const auto& c : cases) {
    const std::string message = failure("box", c.text);
    EXPECT_NE(message.find(c.expect), std::string::npos) << "expected '" << c.expect << "' in: " << message;
    EXPECT_EQ(message.rfind("catalog " + (dir_ / "box.toml").string(), 0), 0u) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
  // The line is the mistake's: the unknown key sits on line 10 of the first case.
  EXPECT_NE(failure("box", cases[0].text).find("box.toml:10:"), std::string::npos) << failure("box", cases[0].text);
}

// A cpu's or a gpu's names and claims are that device's; a chip with both must say whose each is, so
// that no CPU result is ever held against a GPU's figure.
TEST_F(CatalogFiles, AChipWithSeveralDevicesSaysWhoseEachNameAndClaimIs) {
  const std::string apu = "[system]\nid = \"box\"\nname = \"A Box\"\nkind = \"apu\"\n";
  const std::string compute = "\n[[claim]]\nwhat = \"compute\"\ndtype = \"fp32\"\nvalue = 31\nunit = \"TFLOP/s\"\nsource = \"s\"\n";
  EXPECT_EQ(failure("box", apu + "match_cpu = [\"Box CPU\"]\nmatch_gpu = [\"Box GPU\"]\n" + compute +
                               "device = \"gpu\"\n\n[[derived]]\nwhat = \"memory_bandwidth\"\ndevice = \"cpu+gpu\"\nvalue = 1\n"
                               "unit = \"GB/s\"\nformula = \"f\"\n"),
            "");
  struct Case {
    std::string text, expect;
  };
  const std::vector<Case> cases = {
      {apu + "match = [\"BOX1\"]\n", "an apu has a CPU and a GPU: name them with match_cpu and match_gpu"},
      {apu + compute, "[[claim]] compute on an apu must say whose it is: device = cpu, cpu+gpu, gpu, npu"},
      {apu + compute + "device = \"tpu\"\n", "device = 'tpu': not one of this apu's: cpu, cpu+gpu, gpu, npu"},
      {"[system]\nid = \"box\"\nname = \"x\"\nkind = \"cpu\"\n" + compute + "device = \"gpu\"\n",
       "device = 'gpu': not one of this cpu's: cpu, npu"},
      {"[system]\nid = \"box\"\nname = \"x\"\nkind = \"gpu\"\nmatch_cpu = [\"x\"]\n", "a gpu has no cpu: 'match_cpu'"},
  };
  for (const auto& c : cases) {
    const std::string message = failure("box", c.text);
    EXPECT_NE(message.find(c.expect), std::string::npos) << "expected '" << c.expect << "' in: " << message;
  }
}

TEST_F(CatalogFiles, AUserFolderAddsSystemsAndOverridesAShippedOne) {
  write("nvidia-dgx-spark", "[system]\nid = \"nvidia-dgx-spark\"\nname = \"My Spark\"\nkind = \"apu\"\n");
  write("box", kSystem);
  const auto shipped = load_catalog({default_catalog_dir()});
  const auto systems = load_catalog({default_catalog_dir(), dir_.string()});
  EXPECT_EQ(systems.size(), shipped.size() + 1);
  auto spark = std::find_if(systems.begin(), systems.end(), [](auto& s) { return s.id == "nvidia-dgx-spark"; });
  ASSERT_NE(spark, systems.end());
  EXPECT_EQ(spark->name, "My Spark");
  EXPECT_THROW(load_catalog({(dir_ / "absent").string()}), Error);
}

}  // namespace
}  // namespace specgap::catalog
