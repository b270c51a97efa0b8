#pragma once
// Each architecture's reader of its GGUF keys, behind config_from_gguf (model_config.cpp).
#include <string>

#include "llm/model_config.h"

namespace specgap::llm {

ModelConfig llama_config_from_gguf(const GgufFile& f);
ModelConfig gpt_oss_config_from_gguf(const GgufFile& f);

// The keys every decoder-only architecture writes under its own prefix, to_string(a) (`llama.`,
// `gpt-oss.`: embedding_length, block_count, attention.head_count, ...), and the vocabulary's size;
// each reader adds its own. `default_context` and `default_theta` stand where a file leaves the key out.
ModelConfig transformer_config_from_gguf(const GgufFile& f, Architecture a, int64_t default_context, double default_theta);

// The unsigned key `key`, which must be present and at most `max`; a one-line specgap::Error otherwise.
int64_t required_key(const GgufFile& f, const std::string& key, int64_t max = 1 << 24);
// The same key when present (and at most `max`), else `fallback`.
int64_t optional_key(const GgufFile& f, const std::string& key, int64_t fallback, int64_t max = 1 << 24);

}  // namespace specgap::llm
