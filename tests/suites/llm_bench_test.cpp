// The LLM suite on a small model written as GGUF: which figures it reports, and which it cannot.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>

#include "llm/tensor_source.h"
#include "support/recording_sink.h"
#include "suites/llm/llm_bench.h"
#include "timed_spans.h"
#include "support/small_llama.h"
#include "support/temp_path.h"

namespace specgap::suites {
namespace {

// A Llama of the engine's smallest shapes, written once for every test here and removed at exit.
const std::string& small_model() {
  struct File {
    std::string path = specgap::test::temp_path("llm-bench-small.gguf");
    File() {
      llm::PresetSource preset(specgap::test::small_llama(256), GgmlType::q4_0, 1,
                               [](int64_t n, const std::function<void(int64_t)>& fn) {
                                 for (int64_t i = 0; i < n; ++i) fn(i);
                               });
      llm::write_preset_gguf(preset, path);
    }
    ~File() { std::remove(path.c_str()); }
  };
  static const File file;
  return file.path;
}

LlmConfig small_run(int64_t n_prompt, int64_t n_gen) {
  LlmConfig c;
  c.model_path = small_model();
  c.n_prompt = n_prompt;
  c.n_gen = n_gen;
  c.reps = 2;
  c.read_bandwidth = false;
  return c;
}

const Result* named(const std::vector<Result>& results, const std::string& name) {
  for (const auto& r : results)
    if (r.name == name) return &r;
  return nullptr;
}

TEST(LlmBench, EveryFigureOfARequestIsMeasuredAndChecked) {
  test::RecordingSink sink;
  const auto results = measure_llm(small_run(16, 3), sink);
  for (const char* name : {"pp16", "tg3", "ttft", "tpot"}) {
    const Result* r = named(results, name);
    ASSERT_NE(r, nullptr) << name;
    EXPECT_EQ(r->check, kCheckPassed) << name;
    EXPECT_GT(r->value, 0) << name;
  }
}

// Each figure states its own repetitions' timed regions, so that its power is taken over them alone:
// pp, tg and the request's two parts interleave repetition by repetition, and the results come after.
TEST(LlmBench, EachFigureStatesTheTimedRegionsOfItsOwnRepetitions) {
  test::RecordingSink sink;
  const auto results = measure_llm(small_run(16, 3), sink);
  ASSERT_EQ(results.size(), 4u);
  for (const auto& r : results) {
    ASSERT_EQ(r.timed.size(), 2u) << r.name << ": one per repetition";
    // The figure is the median over exactly these regions: 16 or 3 tokens, or their length in ms.
    std::vector<double> seconds;
    for (const auto& s : r.timed) seconds.push_back(double(s.end_ns - s.begin_ns) * 1e-9);
    const double per_second = r.name == "pp16" ? 16 : r.name == "tg3" ? 3 : 0;
    const double ms_over = r.name == "ttft" ? 1 : 2;  // TPOT: 2 intervals after the first token
    for (size_t i = 0; i < 2; ++i) {
      const double v = r.params["samples"][i].get<double>();
      EXPECT_DOUBLE_EQ(v, per_second > 0 ? per_second / seconds[i] : seconds[i] / ms_over * 1e3) << r.name;
    }
  }
  test::expect_disjoint_timed_spans(results);
}

// One generated token has no interval after it: TPOT is not measured, and the result says why
// instead of showing 0 ms.
TEST(LlmBench, OneGeneratedTokenHasNoTimePerOutputToken) {
  test::RecordingSink sink;
  const auto results = measure_llm(small_run(16, 1), sink);
  const Result* tpot = named(results, "tpot");
  ASSERT_NE(tpot, nullptr);
  EXPECT_TRUE(std::isnan(tpot->value)) << tpot->value;
  EXPECT_EQ(tpot->check.rfind("unsupported: ", 0), 0u) << tpot->check;
  EXPECT_NE(tpot->check.find("-n 2"), std::string::npos) << tpot->check;
  EXPECT_FALSE(check_failed(tpot->check)) << "a figure that cannot exist is not a failed check";
  const Result* ttft = named(results, "ttft");
  ASSERT_NE(ttft, nullptr);
  EXPECT_GT(ttft->value, 0) << "the first token is still timed";
}

}  // namespace
}  // namespace specgap::suites
