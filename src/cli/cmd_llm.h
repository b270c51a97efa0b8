#pragma once
// The llm command's options and the plan they make; audit uses the same.
#include <cstdint>
#include <string>

#include "probe/machine.h"
#include "suites/llm/llm_bench.h"

namespace specgap::cli {

struct LlmOptions {
  std::string model, preset = "llama-3.2-1b", quant, write;  // quant "": the preset's own default
  std::string kernels;                                        // "": the fastest path this CPU has
  int64_t n_prompt = 512, n_gen = 128, depth = 0, ubatch = 512;
  int reps = 5, threads = 0;
  uint64_t seed = 1;
  bool no_request = false, no_bandwidth = false, allow_swap = false;
  int64_t greedy = 0;                 // > 0: print that many greedy tokens after prompt_tokens, time nothing
  std::vector<int32_t> prompt_tokens;
};

// Throws UsageError (exit 2, one line) for a bad flag value, before anything is opened or measured.
suites::LlmConfig plan_llm(const LlmOptions& o, const Machine& m);

}  // namespace specgap::cli
