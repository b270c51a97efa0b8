// GPT-OSS's GGUF keys (reference/llm.md §3.1, §3.4), as llama.cpp's converter writes them.
#include <string>

#include "core/error.h"
#include "llm/arch_configs.h"
#include "llm/gguf_reader.h"

namespace specgap::llm {

ModelConfig gpt_oss_config_from_gguf(const GgufFile& f) {
  ModelConfig c = transformer_config_from_gguf(f, Architecture::gpt_oss, 131072, 150000.0);
  c.moe.n_expert = required_key(f, "gpt-oss.expert_count");
  c.moe.n_expert_used = required_key(f, "gpt-oss.expert_used_count");
  c.moe.n_ff_exp = required_key(f, "gpt-oss.expert_feed_forward_length");
  // A missing window would silently make every layer full attention: a different model.
  c.sliding_window = required_key(f, "gpt-oss.attention.sliding_window");
  if (const auto pattern = optional_key(f, "gpt-oss.attention.sliding_window_pattern", 2); pattern != 2)
    throw Error("gguf: " + f.label() + ": gpt-oss.attention.sliding_window_pattern " + std::to_string(pattern) +
                " is not GPT-OSS's 2 (a window on every other layer)");
  const auto scaling = f.get_string("gpt-oss.rope.scaling.type");
  if (scaling && *scaling != "yarn" && *scaling != "none")
    throw Error("gguf: " + f.label() + ": gpt-oss.rope.scaling.type '" + std::string(*scaling) + "' is not yarn");
  if (scaling && *scaling == "yarn") {
    c.yarn.factor = f.get_float("gpt-oss.rope.scaling.factor").value_or(1.0);
    c.yarn.original_context = static_cast<double>(optional_key(f, "gpt-oss.rope.scaling.original_context_length", 4096));
    c.yarn.beta_fast = f.get_float("gpt-oss.rope.scaling.yarn_beta_fast").value_or(32.0);
    c.yarn.beta_slow = f.get_float("gpt-oss.rope.scaling.yarn_beta_slow").value_or(1.0);
  }
  return c;
}

}  // namespace specgap::llm
