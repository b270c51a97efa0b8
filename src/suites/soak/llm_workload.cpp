#include <fmt/format.h>

#include <chrono>
#include <cmath>

#include "core/error.h"
#include "core/interrupt.h"
#include "llm/engine.h"
#include "llm/presets.h"
#include "llm/runtime.h"
#include "llm/tensor_source.h"
#include "suites/soak/workload.h"

namespace specgap::suites {
namespace {

constexpr int64_t kContext = 512;  // positions decoded before the cache starts over

class DecodeWorkload : public SoakWorkload {
 public:
  explicit DecodeWorkload(const SoakWorkloadConfig& c, llm::ModelConfig preset)
      : runtime_(c.cpus), seed_(c.seed),
        source_(std::move(preset), c.quant, c.seed, runtime_.parallel()),
        engine_ptr_(llm::make_engine(source_, runtime_.team(), options())), engine_(*engine_ptr_) {}
  std::string name() const override { return "decode"; }
  std::string unit() const override { return "tokens/s"; }
  std::string impl() const override { return source_.description() + ", " + engine_.kernels(); }
  std::string check() override {
    if (auto failure = engine_.verify_kernels(decode_calls(), seed_); !failure.empty()) return failure;
    return finite_ ? "" : "the logits were not finite";
  }
  double run_for(double seconds, double& elapsed) override {
    const auto t0 = std::chrono::steady_clock::now();
    int64_t tokens = 0;
    const float* logits = nullptr;
    for (;;) {
      elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      if (elapsed >= seconds) break;
      throw_if_interrupted();
      if (engine_.position() >= kContext) engine_.clear();
      const int32_t token = int32_t((tokens * 7919 + 13) % engine_.config().n_vocab);
      logits = engine_.forward(&token, 1);
      ++tokens;
    }
    if (logits)
      for (int64_t i = 0; i < engine_.config().n_vocab; ++i) finite_ &= std::isfinite(logits[i]);
    return double(tokens);
  }

 private:
  // What run_for calls: one token at every position of the cache.
  static std::vector<llm::ForwardCall> decode_calls() {
    std::vector<llm::ForwardCall> calls;
    for (int64_t pos = 0; pos < kContext; ++pos) calls.push_back({pos, 1});
    return calls;
  }
  static llm::EngineOptions options() {
    llm::EngineOptions o;
    o.context = kContext;
    o.max_batch = 1;
    return o;
  }

  llm::Runtime runtime_;
  uint64_t seed_;
  llm::PresetSource source_;
  std::unique_ptr<llm::Engine> engine_ptr_;
  llm::Engine& engine_;
  bool finite_ = true;
};

}  // namespace

std::unique_ptr<SoakWorkload> llm_workload(const SoakWorkloadConfig& c) {
  auto preset = llm::find_preset(c.preset);
  if (!preset) throw UsageError("soak: unknown preset " + c.preset);
  return std::make_unique<DecodeWorkload>(c, std::move(*preset));
}

}  // namespace specgap::suites
