#pragma once
// LLM throughput measured as llama-bench measures it (reference/llm.md §4), so figures compare:
// pp<N> feeds N random tokens in micro-batches of `ubatch` and times until the last logits; tg<N>
// times N single-token decode steps; each repetition starts from an empty cache (after an untimed
// prefill of `depth` tokens when asked); one warm-up of each first. Added: TTFT and TPOT of a greedy
// request (a prompt of N tokens, then tg tokens), and the figures that explain the rates: bytes read
// per generated token, the decode bandwidth they imply against this run's own read-bandwidth
// measurement (a sample before each decode repetition and after the last, paired with the repetitions
// they bracket), and the FLOPs per prompt token.
#include <cstdint>
#include <string>
#include <vector>

#include "core/ggml_type.h"
#include "core/result.h"
#include "core/sink.h"

namespace specgap::suites {

struct LlmConfig {
  std::vector<int> cpus;          // one pinned thread per entry
  std::string model_path;         // a GGUF file; empty: the preset below
  std::string preset = "llama-3.2-1b";
  GgmlType quant = GgmlType::q4_0;
  uint64_t seed = 1;
  int64_t n_prompt = 512, n_gen = 128, depth = 0, ubatch = 512;
  int reps = 5;
  bool request = true;            // also the TTFT/TPOT request
  bool read_bandwidth = true;     // interleave read-bandwidth samples with the decode repetitions
  uint64_t bandwidth_bytes = 0;   // bytes of the array they read (the CLI: the memory suite's default)
  bool allow_swap = false;        // skip the memory guard
  uint64_t available_memory = 0;  // bytes the guard allows (MemAvailable)
  std::string kernels;            // "": the fastest this CPU has; else a path of llm::kernel_isas()
};

std::vector<Result> measure_llm(const LlmConfig& config, RunSink& sink);

// Decode's fraction of the read bandwidth, paired repetition by repetition: read_gbps[i] and
// read_gbps[i + 1] are the samples taken just before and just after decode repetition i (NaN where one
// failed its check), and repetition i reads bytes_per_token x tg_rates[i] against their mean (or the
// one that exists). The median of those fractions; NaN when no repetition has a sample. On a host
// whose bandwidth moves between seconds, the pairs hold still where median over median does not.
double paired_read_fraction(const std::vector<double>& tg_rates, const std::vector<double>& read_gbps,
                            double bytes_per_token);

// Greedy decoding, untimed: feeds `prompt` in calls of config.ubatch tokens, then n tokens, each the previous call's
// argmax (ties to the lower id, as llama.cpp's greedy sampler); returns those n ids. What compares
// specgap's forward pass with another engine's on the same file and prompt tokens.
// Each step's 5 highest logits come with it, what shows how close a choice was.
struct GreedyStep {
  int32_t token;
  std::vector<std::pair<int32_t, float>> top;  // (id, logit), highest first
};
std::vector<GreedyStep> greedy_tokens(const LlmConfig& config, const std::vector<int32_t>& prompt, int64_t n);

// Opens the model (a file's every byte is checked; a preset generates nothing) and refuses it, in one
// line, when it and its KV cache do not fit in config.available_memory. Called before a run starts.
void check_llm_fits(const LlmConfig& config);

}  // namespace specgap::suites
