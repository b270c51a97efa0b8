#include "suites/llm/llm_bench.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <numeric>
#include <optional>
#include <random>

#include "core/clock.h"
#include "core/error.h"
#include "core/interrupt.h"
#include "core/stats.h"
#include "core/units.h"
#include "llm/engine.h"
#include "llm/presets.h"
#include "llm/tensor_source.h"

namespace specgap::suites {
namespace {
using Clock = std::chrono::steady_clock;
// Passes of each read kernel per read sample: the median of three holds where one pass jumps.
constexpr int kReadReps = 3;
double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }
double seconds_of(const TimedSpan& s) { return static_cast<double>(s.end_ns - s.begin_ns) * 1e-9; }

// One figure's repetitions: their values, and the timed regions they came from (its power's window).
struct Figure {
  std::vector<double> values;
  std::vector<TimedSpan> timed;
  void add(double value, const TimedSpan& span) {
    values.push_back(value);
    timed.push_back(span);
  }
};

std::unique_ptr<llm::TensorSource> open_source(const LlmConfig& c, llm::Runtime& runtime) {
  if (!c.model_path.empty()) return std::make_unique<llm::GgufSource>(c.model_path);
  auto preset = llm::find_preset(c.preset);
  if (!preset) throw UsageError("--preset " + c.preset + ": unknown");
  return std::make_unique<llm::PresetSource>(*preset, c.quant, c.seed, runtime.parallel());
}

llm::EngineOptions engine_options(const LlmConfig& c) {
  llm::EngineOptions o;
  if (!c.kernels.empty()) llm::use_kernels(o, c.kernels);
  o.context = std::max<int64_t>(1, c.depth + c.n_prompt + c.n_gen);
  o.max_batch = std::max<int64_t>(1, std::min(c.ubatch, std::max(c.n_prompt, c.depth)));
  return o;
}

// The memory guard: refuse before allocating anything when the model and its cache do not fit.
void check_fits(const llm::TensorSource& source, const llm::EngineOptions& o, const LlmConfig& c) {
  const auto need = llm::engine_footprint(source, o);
  const uint64_t read_array = c.read_bandwidth && c.n_gen > 0 ? c.bandwidth_bytes : 0;
  if (c.allow_swap || c.available_memory == 0 || need.total() + read_array <= c.available_memory) return;
  throw Error(fmt::format("{} needs {} (weights {}, embedding {}, KV cache {}, activations {}{}) but {} is available; "
                          "use a smaller model or quantisation, or --allow-swap",
                          source.description(), format_bytes(need.total() + read_array), format_bytes(need.weights),
                          format_bytes(need.embedding), format_bytes(need.kv_cache), format_bytes(need.activations),
                          read_array ? ", read-bandwidth array " + format_bytes(read_array) + " (--no-bandwidth drops it)" : "",
                          format_bytes(c.available_memory)));
}

class Bench {
 public:
  Bench(const LlmConfig& c, llm::Engine& e) : c_(c), e_(e), rng_(c.seed) {}

  int32_t random_token() { return static_cast<int32_t>(rng_() % static_cast<uint64_t>(e_.config().n_vocab)); }

  // Feeds n tokens in micro-batches; returns the logits of the last.
  const float* prompt(int64_t n) {
    const float* logits = nullptr;
    std::vector<int32_t> batch;
    for (int64_t done = 0; done < n; done += static_cast<int64_t>(batch.size())) {
      batch.resize(static_cast<size_t>(std::min(c_.ubatch, n - done)));
      for (auto& t : batch) t = random_token();
      logits = e_.forward(batch.data(), static_cast<int64_t>(batch.size()));
      throw_if_interrupted();
    }
    return logits;
  }

  void fresh_cache() {
    e_.clear();
    if (c_.depth > 0) prompt(c_.depth);
  }

  // Each timed test returns its timed region on the monotonic clock.
  TimedSpan time_prompt(int64_t n) {
    fresh_cache();
    const int64_t t0 = monotonic_ns();
    check_logits(prompt(n));
    return {t0, monotonic_ns()};
  }

  TimedSpan time_gen(int64_t n) {
    fresh_cache();
    const int64_t t0 = monotonic_ns();
    const float* logits = nullptr;
    for (int64_t i = 0; i < n; ++i) {
      const int32_t t = random_token();
      logits = e_.forward(&t, 1);
      throw_if_interrupted();
    }
    check_logits(logits);
    return {t0, monotonic_ns()};
  }

  // A greedy request: returns the span to the first token (TTFT) and the span of the tokens after it
  // (TPOT is its length over their number); the second is nullopt when one token is generated, since
  // there is no interval after it.
  std::pair<TimedSpan, std::optional<TimedSpan>> time_request() {
    fresh_cache();
    const int64_t t0 = monotonic_ns();
    const float* logits = prompt(c_.n_prompt);
    int32_t next = argmax(logits);
    const int64_t first = monotonic_ns();
    for (int64_t i = 1; i < c_.n_gen; ++i) {
      next = argmax(e_.forward(&next, 1));
      throw_if_interrupted();
    }
    if (c_.n_gen < 2) return {{t0, first}, std::nullopt};
    return {{t0, first}, TimedSpan{first, monotonic_ns()}};
  }

  int32_t argmax(const float* logits) const {
    check_logits(logits);
    return static_cast<int32_t>(std::max_element(logits, logits + e_.config().n_vocab) - logits);
  }

  // Logits that are not finite mean a kernel or the model went wrong: no figure is reported.
  void check_logits(const float* logits) const {
    for (int64_t i = 0; i < e_.config().n_vocab; ++i)
      if (!std::isfinite(logits[i])) throw Error(fmt::format("llm: logit {} is {}: the forward pass produced no number", i, logits[i]));
  }

 private:
  const LlmConfig& c_;
  llm::Engine& e_;
  std::mt19937_64 rng_;
};

std::string model_label(const llm::TensorSource& s) { return s.description(); }

// The forward calls the timed runs make, which the kernel check runs first: the prompt's
// micro-batches, the decode steps, and the request's prompt and steps (the untimed prefill of
// `depth` tokens left out).
std::vector<llm::ForwardCall> timed_calls(const LlmConfig& c) {
  std::vector<llm::ForwardCall> calls;
  for (int64_t done = 0; done < c.n_prompt; done += c.ubatch) calls.push_back({c.depth + done, std::min(c.ubatch, c.n_prompt - done)});
  for (int64_t i = 0; i < c.n_gen; ++i) calls.push_back({c.depth + i, 1});
  if (c.request && c.n_prompt > 0)
    for (int64_t i = 1; i < c.n_gen; ++i) calls.push_back({c.depth + c.n_prompt + i - 1, 1});
  return calls;
}
}  // namespace

void check_llm_fits(const LlmConfig& c) {
  llm::Runtime runtime({});
  const auto source = open_source(c, runtime);
  check_fits(*source, engine_options(c), c);
}

double paired_read_fraction(const std::vector<double>& tg_rates, const std::vector<double>& read_gbps,
                            double bytes_per_token) {
  std::vector<double> fractions;
  for (size_t i = 0; i < tg_rates.size(); ++i) {
    double sum = 0;
    int n = 0;
    for (size_t j : {i, i + 1})
      if (j < read_gbps.size() && std::isfinite(read_gbps[j]) && read_gbps[j] > 0) sum += read_gbps[j], ++n;
    if (n > 0) fractions.push_back(bytes_per_token * tg_rates[i] / 1e9 / (sum / n));
  }
  return fractions.empty() ? std::nan("") : median(fractions);
}

std::vector<GreedyStep> greedy_tokens(const LlmConfig& c, const std::vector<int32_t>& prompt, int64_t n) {
  if (prompt.empty() || n < 1) throw UsageError("llm: greedy decoding takes prompt tokens and at least one token to generate");
  llm::Runtime runtime(c.cpus);
  auto source = open_source(c, runtime);
  llm::EngineOptions options;
  options.context = static_cast<int64_t>(prompt.size()) + n;
  options.max_batch = std::min<int64_t>(c.ubatch, static_cast<int64_t>(prompt.size()));
  check_fits(*source, options, c);
  const auto engine = llm::make_engine(*source, runtime.team(), options);
  std::vector<GreedyStep> out;
  const float* logits = nullptr;
  for (size_t at = 0; at < prompt.size(); at += static_cast<size_t>(options.max_batch))
    logits = engine->forward(prompt.data() + at, std::min<int64_t>(options.max_batch, static_cast<int64_t>(prompt.size() - at)));
  std::vector<int32_t> ids(static_cast<size_t>(engine->config().n_vocab));
  for (int64_t i = 0; i < n; ++i) {
    // Highest logit first, the lower id first among equals.
    std::iota(ids.begin(), ids.end(), 0);
    std::partial_sort(ids.begin(), ids.begin() + std::min<size_t>(5, ids.size()), ids.end(),
                      [&](int32_t a, int32_t b) { return logits[a] > logits[b] || (logits[a] == logits[b] && a < b); });
    GreedyStep step{ids[0], {}};
    for (size_t k = 0; k < std::min<size_t>(5, ids.size()); ++k) step.top.emplace_back(ids[k], logits[ids[k]]);
    out.push_back(std::move(step));
    if (i + 1 < n) logits = engine->forward(&out.back().token, 1);
  }
  return out;
}

std::vector<Result> measure_llm(const LlmConfig& c, RunSink& sink) {
  if (c.n_prompt < 0 || c.n_gen < 0 || c.depth < 0 || c.reps < 1 || c.ubatch < 1)
    throw UsageError("llm: -p, -n, -d must be >= 0, -r and -ub >= 1");
  llm::Runtime runtime(c.cpus);
  auto source = open_source(c, runtime);
  const llm::EngineOptions options = engine_options(c);
  check_fits(*source, options, c);

  sink.progress("llm: loading " + model_label(*source));
  const auto load0 = Clock::now();
  const std::unique_ptr<llm::Engine> engine_ptr = llm::make_engine(*source, runtime.team(), options);
  llm::Engine& engine = *engine_ptr;
  const double load_s = seconds_since(load0);
  sink.progress("llm: checking the kernels");
  const std::string failure = engine.verify_kernels(timed_calls(c), c.seed);
  const std::string check = failure.empty() ? std::string(kCheckPassed) : "failed: " + failure;
  const llm::ModelConfig& cfg = engine.config();

  nlohmann::json common = {{"model", model_label(*source)},
                           {"architecture", std::string(llm::to_string(cfg.arch))},
                           {"model_name", cfg.name},
                           {"parameters", cfg.parameter_count()},
                           {"model_bytes", source->total_bytes()},
                           {"threads", c.cpus.size()},
                           {"depth", c.depth},
                           {"ubatch", c.ubatch},
                           {"load_seconds", load_s},
                           {"kv_cache", "f16"}};
  if (c.model_path.empty()) common["quant"] = std::string(to_string(c.quant));
  auto base_result = [&](const std::string& name, const std::string& unit) {
    Result r;
    r.suite = "llm";
    r.device = "cpu";
    r.name = name;
    r.unit = unit;
    r.impl = engine.kernels();
    r.params = common;
    r.check = check;
    return r;
  };
  std::vector<Result> results;
  if (!failure.empty()) {
    // A kernel gave wrong numbers: no figure is reported, only why.
    for (const auto& [name, unit] : {std::pair{"pp" + std::to_string(c.n_prompt), "tokens/s"},
                                     std::pair{"tg" + std::to_string(c.n_gen), "tokens/s"}}) {
      Result r = base_result(name, unit);
      r.value = std::nan("");
      sink.result(r);
      results.push_back(r);
    }
    return results;
  }

  Bench bench(c, engine);
  sink.progress("llm: warm-up");
  if (c.n_prompt > 0) bench.time_prompt(c.n_prompt);
  if (c.n_gen > 0) bench.time_gen(1);

  // Each figure keeps its own repetitions' timed regions; the read samples, and the other figures'
  // repetitions between them, are outside every one of them.
  Figure pp, tg, ttft, tpot;
  std::vector<double> read_gbps;  // before each tg repetition, and after the last
  const std::string suffix = c.depth > 0 ? fmt::format(" @ d{}", c.depth) : "";
  // The read samples' array is allocated, filled and checked once, here, outside every timed region.
  if (c.read_bandwidth && c.n_gen > 0) {
    sink.progress("llm: preparing the read-bandwidth samples");
    runtime.prepare_read_samples(c.bandwidth_bytes, c.seed);
  }
  const bool reader = runtime.reads_prepared();
  auto sample_read = [&] { read_gbps.push_back(runtime.sample_read(kReadReps)); };
  for (int rep = 0; rep < c.reps; ++rep) {
    if (c.n_prompt > 0) {
      sink.progress(fmt::format("llm: pp{}{} repetition {}/{}", c.n_prompt, suffix, rep + 1, c.reps));
      const TimedSpan s = bench.time_prompt(c.n_prompt);
      pp.add(static_cast<double>(c.n_prompt) / seconds_of(s), s);
      sink.sample({"llm", "pp" + std::to_string(c.n_prompt), engine.kernels(), pp.values.back(), "tokens/s", {{"rep", rep}}});
    }
    if (reader) sample_read();
    if (c.n_gen > 0) {
      sink.progress(fmt::format("llm: tg{}{} repetition {}/{}", c.n_gen, suffix, rep + 1, c.reps));
      const TimedSpan s = bench.time_gen(c.n_gen);
      tg.add(static_cast<double>(c.n_gen) / seconds_of(s), s);
      sink.sample({"llm", "tg" + std::to_string(c.n_gen), engine.kernels(), tg.values.back(), "tokens/s", {{"rep", rep}}});
      if (reader && rep + 1 == c.reps) sample_read();
    }
    if (c.request && c.n_prompt > 0 && c.n_gen > 0) {
      sink.progress(fmt::format("llm: request p{} n{} repetition {}/{}", c.n_prompt, c.n_gen, rep + 1, c.reps));
      const auto [first, after] = bench.time_request();
      ttft.add(seconds_of(first) * 1e3, first);
      if (after) tpot.add(seconds_of(*after) / static_cast<double>(c.n_gen - 1) * 1e3, *after);
    }
  }

  auto emit = [&](const std::string& name, const std::string& unit, const Figure& f, nlohmann::json extra) {
    Result r = base_result(name, unit);
    r.stats = summarize(f.values);
    r.value = r.stats.median;
    for (auto& [k, val] : extra.items()) r.params[k] = val;
    r.params["samples"] = f.values;
    r.timed = f.timed;
    sink.result(r);
    results.push_back(r);
  };
  if (!pp.values.empty()) {
    const double flops = engine.layer_flops_per_token();
    emit("pp" + std::to_string(c.n_prompt), "tokens/s", pp,
         {{"n_prompt", c.n_prompt},
          {"flops_per_token", flops},
          {"effective_tflops", flops * summarize(pp.values).median / 1e12},
          {"flops_note", "2 x weights of the layer matrices per prompt token; attention and the one output row not counted"}});
  }
  if (!tg.values.empty()) {
    // Weights once per token, and K and V of the cache each generated token reads (every position,
    // or a window layer's last positions), averaged over the generated tokens.
    double kv = 0;
    for (int64_t i = 1; i <= c.n_gen; ++i) kv += static_cast<double>(engine.kv_bytes(c.depth + i));
    const double bytes = static_cast<double>(engine.weight_bytes_per_token()) + kv / static_cast<double>(c.n_gen);
    const double rate = summarize(tg.values).median;
    nlohmann::json extra = {{"n_gen", c.n_gen},
                            {"bytes_per_token", bytes},
                            {"weight_bytes_per_token", engine.weight_bytes_per_token()},
                            {"effective_bandwidth_gbps", bytes * rate / 1e9}};
    if (const nlohmann::json routing = engine.routing(); !routing.is_null()) extra["routing"] = routing;
    std::vector<double> measured;
    for (double g : read_gbps)
      if (std::isfinite(g)) measured.push_back(g);
    if (!measured.empty()) {
      extra["read_bandwidth_gbps"] = summarize(measured).median;
      extra["read_bandwidth_samples"] = measured;
      extra["fraction_of_read_bandwidth"] = paired_read_fraction(tg.values, read_gbps, bytes);
      extra["fraction_method"] = "median over tg repetitions of bytes x rate / the mean of the read samples just before and after it";
    }
    emit("tg" + std::to_string(c.n_gen), "tokens/s", tg, extra);
  }
  if (!ttft.values.empty()) {
    emit("ttft", "ms", ttft, {{"n_prompt", c.n_prompt}, {"note", "prompt of n_prompt tokens until the first greedy token"}});
    if (!tpot.values.empty()) {
      emit("tpot", "ms", tpot, {{"n_gen", c.n_gen}, {"note", "mean time per generated token after the first"}});
    } else {
      Result r = base_result("tpot", "ms");
      r.value = std::nan("");
      r.check = "unsupported: one generated token (-n 1) has no interval after it; TPOT needs -n 2 or more";
      r.params["n_gen"] = c.n_gen;
      sink.result(r);
      results.push_back(r);
    }
  }
  return results;
}

}  // namespace specgap::suites
