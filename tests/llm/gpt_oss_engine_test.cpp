// The GPT-OSS engine against the fp64 reference (reference_gpt_oss.h) on a tiny GPT-OSS shape: two
// layers (the first on a window of 8 positions), 4 experts of which 2 are used, sinks, YaRN.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <numeric>
#include <optional>
#include <string>
#include <vector>

#include "backends/cpu/thread_team.h"
#include "core/error.h"
#include "llm/clones.h"
#include "llm/gpt_oss_engine.h"
#include "llm/presets.h"
#include "llm/tensor_source.h"
#include "llm/vector_ops.h"
#include "support/small_gpt_oss.h"
#include "reference_gpt_oss.h"

namespace specgap::llm {
namespace {

ParallelFor serial() {
  return [](int64_t n, const std::function<void(int64_t)>& fn) {
    for (int64_t i = 0; i < n; ++i) fn(i);
  };
}


// The preset with its router's weights scaled up, so that its logits are far apart: the engine's
// 8-bit activations then pick the reference's experts (near ties could go either way, a difference
// the comparison could not bound), and different tokens pick different experts. Its sinks are scaled
// up too (to a standard deviation of 2), so that attention without them moves the logits past the
// bound: at 0.02 a sink takes a few percent of a head's weight, which the preset's large token
// embedding (token_embedding_std) leaves below it.
class SpreadRouter : public TensorSource {
 public:
  explicit SpreadRouter(PresetSource& inner) : inner_(inner) {}
  const ModelConfig& config() const override { return inner_.config(); }
  std::string description() const override { return inner_.description(); }
  std::optional<TensorSpec> spec(const std::string& name) const override { return inner_.spec(name); }
  uint64_t total_bytes() const override { return inner_.total_bytes(); }
  void read(const std::string& name, const std::function<void(const void*)>& use) override {
    const bool router = name.find("ffn_gate_inp.weight") != std::string::npos;
    if (!router && name.find("attn_sinks") == std::string::npos) return inner_.read(name, use);
    inner_.read(name, [&](const void* data) {
      std::vector<float> v(spec(name)->bytes() / sizeof(float));
      std::memcpy(v.data(), data, v.size() * sizeof(float));
      for (float& x : v) x *= router ? 40 : 100;
      use(v.data());
    });
  }

 private:
  PresetSource& inner_;
};

double rms(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x * x;
  return std::sqrt(s / static_cast<double>(v.size()));
}

// A 12-token prompt (past the window of 8), then 6 decode steps, against the reference. The engine
// quantises activations to 8 bits as llama.cpp does; the Llama engine's Q8_0/Q4_0 cases measure
// 1-3% of the logits' RMS for that.
TEST(GptOssEngine, LogitsAgreeWithTheReference) {
  PresetSource preset(specgap::test::small_gpt_oss(), GgmlType::mxfp4, 21, serial());
  SpreadRouter source(preset);
  for (size_t members : {size_t{1}, size_t{3}}) {
    cpu::ThreadTeam team(std::vector<int>(members, 0));
    GptOssEngine engine(source, team, {.context = 32, .max_batch = 16});
    test::ReferenceGptOss ref(source);
    const std::vector<int32_t> prompt{1, 5, 77, 200, 3, 3, 150, 299, 42, 8, 0, 123};
    std::vector<double> expected;
    for (int32_t t : prompt) expected = ref.step(t);
    const float* got = engine.forward(prompt.data(), static_cast<int64_t>(prompt.size()));
    auto check = [&](const std::string& what) {
      double worst = 0;
      for (int64_t i = 0; i < 300; ++i) worst = std::max(worst, std::fabs(got[i] - expected[i]));
      EXPECT_LT(worst, 0.05 * rms(expected)) << what << " with " << members << " members";
    };
    check("prefill");
    for (int32_t t : {9, 100, 299, 0, 17, 250}) {
      expected = ref.step(t);
      got = engine.forward(&t, 1);
      check("decode at " + std::to_string(engine.position()));
    }
    EXPECT_EQ(engine.position(), 18);
    // Two of four experts per token and layer, and not always the same two: in each layer at least
    // three of the four are chosen by some token.
    const auto& counts = engine.expert_counts();
    EXPECT_EQ(std::accumulate(counts.begin(), counts.end(), int64_t{0}), 2 * 2 * 18);
    for (size_t l = 0; l < 2; ++l)
      EXPECT_GE(std::count_if(counts.begin() + 4 * l, counts.begin() + 4 * l + 4, [](int64_t n) { return n > 0; }), 3)
          << "layer " << l;
    const auto routing = engine.routing();
    EXPECT_EQ(routing["choices"], 2 * 2 * 18);
    EXPECT_GE(routing["distinct_min"].get<int64_t>(), 3);
    EXPECT_LT(routing["busiest_share_max"].get<double>(), 1.0);
    EXPECT_EQ(engine.verify_kernels({{0, 12}, {12, 1}}, 3), "");
  }
}

// The preset as it is (its own router), at a depth where random layers of routing are chaotic: the
// engine's 8-bit activations and the fp64 reference differ by about 1% at every matrix, and with a
// token embedding of 0.02 that difference picks other experts and other tokens within a few steps.
// With the preset's embedding (token_embedding_std) the two decode the same 16 greedy tokens: what
// makes a greedy comparison with another engine possible on the 24-layer gpt-oss-20b.
TEST(GptOssEngine, GreedyTokensAreTheReferencesThroughTwelveLayers) {
  const ModelConfig c = specgap::test::gpt_oss_shape("deep-gpt-oss", 256, 12, 8, 32, 512, {16, 4, 256});
  PresetSource source(c, GgmlType::mxfp4, 5, serial());
  cpu::ThreadTeam team(std::vector<int>(2, 0));
  GptOssEngine engine(source, team, {.context = 32, .max_batch = 4});
  test::ReferenceGptOss ref(source);
  std::vector<int32_t> prompt{3, 141, 59, 265}, ours, theirs;
  std::vector<double> expected;
  for (int32_t t : prompt) expected = ref.step(t);
  const float* got = engine.forward(prompt.data(), static_cast<int64_t>(prompt.size()));
  for (int step = 0; step < 16; ++step) {
    ours.push_back(static_cast<int32_t>(std::max_element(got, got + c.n_vocab) - got));
    theirs.push_back(static_cast<int32_t>(std::max_element(expected.begin(), expected.end()) - expected.begin()));
    got = engine.forward(&theirs.back(), 1);
    expected = ref.step(theirs.back());
  }
  EXPECT_EQ(ours, theirs);
}

// A context far past the window: with calls of at most 3 tokens the window layer's cache holds
// window_capacity() = 64 slots of the 128, dropping old positions as calls of 3 and 1 tokens pass its
// end; an engine whose calls may take 128 tokens keeps every position there. Both give the same
// logits, bit for bit, at every position (the kernels read the same keys from the same 16-aligned
// start), and the smaller cache is what the footprint counts.
TEST(GptOssEngine, WindowLayersKeepOnlyWhatTheWindowSees) {
  PresetSource preset(specgap::test::small_gpt_oss(), GgmlType::mxfp4, 22, serial());
  const EngineOptions small{.context = 128, .max_batch = 3}, whole{.context = 128, .max_batch = 128};
  constexpr uint64_t kPerSlot = 2 * 2 * 16 * sizeof(KvHalf);  // K and V of 2 KV heads of 16
  EXPECT_EQ(engine_footprint(preset, small).kv_cache, kPerSlot * (64 + 128));
  EXPECT_EQ(engine_footprint(preset, whole).kv_cache, kPerSlot * (128 + 128));
  cpu::ThreadTeam team(std::vector<int>(2, 0));
  GptOssEngine windowed(preset, team, small), full(preset, team, whole);
  int32_t token = 7;
  for (int64_t step = 0; windowed.position() < 120; ++step) {
    std::vector<int32_t> call(step % 5 == 0 ? 3 : 1);  // prompt-like calls among the decode steps
    for (auto& t : call) t = token = (token * 31 + 11) % 300;
    const float* a = windowed.forward(call.data(), static_cast<int64_t>(call.size()));
    const float* b = full.forward(call.data(), static_cast<int64_t>(call.size()));
    ASSERT_EQ(std::memcmp(a, b, 300 * sizeof(float)), 0) << "at position " << windowed.position();
  }
  windowed.clear();
  EXPECT_EQ(windowed.verify_kernels({{0, 3}, {3, 1}, {110, 1}}, 5), "");
}

// The preset with one tensor missing, or with one tensor's expert count changed.
class Altered : public TensorSource {
 public:
  Altered(PresetSource& inner, std::string name, std::optional<uint64_t> experts)
      : inner_(inner), name_(std::move(name)), experts_(experts) {}
  const ModelConfig& config() const override { return inner_.config(); }
  std::string description() const override { return inner_.description(); }
  std::optional<TensorSpec> spec(const std::string& name) const override {
    auto s = inner_.spec(name);
    if (name != name_) return s;
    if (!experts_) return std::nullopt;
    s->dims.back() = *experts_;
    return s;
  }
  uint64_t total_bytes() const override { return inner_.total_bytes(); }
  void read(const std::string& name, const std::function<void(const void*)>& use) override { inner_.read(name, use); }

 private:
  PresetSource& inner_;
  std::string name_;
  std::optional<uint64_t> experts_;
};

TEST(GptOssEngine, TensorsThatDisagreeWithTheKeysAreRefusedInOneLine) {
  PresetSource preset(specgap::test::small_gpt_oss(), GgmlType::mxfp4, 1, serial());
  cpu::ThreadTeam team({});
  auto refusal = [&](TensorSource& s) {
    try {
      GptOssEngine engine(s, team, {.context = 8, .max_batch = 4});
      return std::string();
    } catch (const Error& e) {
      return std::string(e.what());
    }
  };
  for (const char* missing : {"blk.1.attn_sinks.weight", "blk.0.attn_k.bias", "blk.1.ffn_down_exps.bias"}) {
    Altered s(preset, missing, std::nullopt);
    const std::string why = refusal(s);
    EXPECT_NE(why.find(std::string("missing tensor ") + missing), std::string::npos) << why;
    EXPECT_EQ(why.find('\n'), std::string::npos) << why;
  }
  Altered fewer(preset, "blk.0.ffn_up_exps.weight", 3);
  const std::string why = refusal(fewer);
  EXPECT_NE(why.find("has shape 64 x 96 x 3, the config needs 64 x 96 x 4"), std::string::npos) << why;
}

// The preset with one tensor's first MXFP4 scale set to 0xFF, E8M0's NaN.
class NanScale : public TensorSource {
 public:
  NanScale(PresetSource& inner, std::string name) : inner_(inner), name_(std::move(name)) {}
  const ModelConfig& config() const override { return inner_.config(); }
  std::string description() const override { return inner_.description(); }
  std::optional<TensorSpec> spec(const std::string& name) const override { return inner_.spec(name); }
  uint64_t total_bytes() const override { return inner_.total_bytes(); }
  void read(const std::string& name, const std::function<void(const void*)>& use) override {
    if (name != name_) return inner_.read(name, use);
    inner_.read(name, [&](const void* data) {
      std::vector<uint8_t> copy(static_cast<const uint8_t*>(data), static_cast<const uint8_t*>(data) + spec(name)->bytes());
      copy[0] = 0xFF;  // the first block's E8M0 exponent
      use(copy.data());
    });
  }

 private:
  PresetSource& inner_;
  std::string name_;
};

TEST(GptOssEngine, AnMxfp4ScaleOfNaNIsRefusedInOneLineNamingItsTensor) {
  PresetSource preset(specgap::test::small_gpt_oss(), GgmlType::mxfp4, 1, serial());
  ASSERT_EQ(preset.spec("blk.1.ffn_gate_exps.weight")->type, GgmlType::mxfp4);
  NanScale s(preset, "blk.1.ffn_gate_exps.weight");
  cpu::ThreadTeam team({});
  try {
    GptOssEngine engine(s, team, {.context = 8, .max_batch = 4});
    FAIL() << "loaded a NaN scale";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              preset.description() + ": tensor blk.1.ffn_gate_exps.weight: an MXFP4 block scale is 0xFF, which E8M0 defines as NaN");
  }
}

TEST(GptOssEngine, YarnIsOpenAisRotation) {
  const ModelConfig c = *find_preset("gpt-oss-20b");
  const auto inv = yarn_inv_freq(c);
  ASSERT_EQ(inv.size(), 32u);
  // The first pairs rotate as without scaling (extrapolated), the last 32 times slower (interpolated).
  EXPECT_DOUBLE_EQ(inv[0], 1.0);
  EXPECT_NEAR(inv[31], 1 / (32 * std::pow(150000.0, 62.0 / 64)), 1e-15);
  EXPECT_NEAR(yarn_concentration(c), 0.1 * std::log(32.0) + 1, 1e-12);
  for (size_t i = 1; i < inv.size(); ++i) EXPECT_LT(inv[i], inv[i - 1]) << i;
  ModelConfig plain = c;
  plain.yarn.factor = 1;
  EXPECT_DOUBLE_EQ(yarn_concentration(plain), 1.0);
  EXPECT_NEAR(yarn_inv_freq(plain)[31], 1 / std::pow(150000.0, 62.0 / 64), 1e-15);
}

TEST(GptOssEngine, SwigluOaiClampsAsOpenAisDoes) {
  EXPECT_FLOAT_EQ(swiglu_oai(0, 0), 0);
  EXPECT_NEAR(swiglu_oai(1, 0), 1 / (1 + std::exp(-1.702)), 1e-6);
  EXPECT_NEAR(swiglu_oai(100, 100), 7 / (1 + std::exp(-1.702 * 7)) * 8, 1e-4);  // both clamped to 7
  EXPECT_NEAR(swiglu_oai(-100, -100), -100 / (1 + std::exp(170.2)) * -6, 1e-6);  // gate not clamped below
}

// The row form adds each bias before the unit and agrees with the formula in doubles on every sign
// and on both sides of the clamps; 37 elements leave a tail after any vector width.
TEST(GptOssEngine, SwigluOaiRowsAddTheirBiasesFirst) {
  constexpr int n = 37;
  std::vector<float> g(n), gb(n), u(n), ub(n), out(n);
  for (int i = 0; i < n; ++i) {
    g[i] = -9.0f + 0.5f * static_cast<float>(i);
    gb[i] = 0.25f * static_cast<float>(i % 3) - 0.25f;
    u[i] = 8.0f - 0.45f * static_cast<float>(i);
    ub[i] = 0.1f * static_cast<float>(i % 5);
  }
  swiglu_oai_biased(g.data(), gb.data(), u.data(), ub.data(), n, out.data());
  for (int i = 0; i < n; ++i) {
    const double gate = std::min(static_cast<double>(g[i] + gb[i]), 7.0);
    const double up = std::clamp(static_cast<double>(u[i] + ub[i]), -7.0, 7.0);
    const double want = gate / (1 + std::exp(-1.702 * gate)) * (up + 1);
    EXPECT_NEAR(out[i], want, 2e-6 * std::max(1.0, std::fabs(want))) << "element " << i;
  }
}

}  // namespace
}  // namespace specgap::llm
