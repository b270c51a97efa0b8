#pragma once
// Where a model's tensors come from: a GGUF file (mapped) or a preset (generated on demand). The
// engine asks for each tensor once, packs it into its own layout and lets the source's copy go, so a
// preset never holds more than one tensor beyond the packed model.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "backends/cpu/thread_team.h"
#include "llm/gguf_reader.h"
#include "llm/model_config.h"
#include "llm/presets.h"

namespace specgap::llm {

class TensorSource {
 public:
  virtual ~TensorSource() = default;
  virtual const ModelConfig& config() const = 0;
  // "file model.gguf" or "preset llama-3.2-1b q4_0"
  virtual std::string description() const = 0;
  // The tensor's type and dims, or nullopt when the model has no such tensor.
  virtual std::optional<TensorSpec> spec(const std::string& name) const = 0;
  // Calls use(bytes) with the tensor's data in GGUF layout, valid during the call only.
  virtual void read(const std::string& name, const std::function<void(const void*)>& use) = 0;
  // Total bytes of the model's tensors (what the file holds).
  virtual uint64_t total_bytes() const = 0;
};

class GgufSource : public TensorSource {
 public:
  explicit GgufSource(const std::string& path);
  const ModelConfig& config() const override { return config_; }
  std::string description() const override;
  std::optional<TensorSpec> spec(const std::string& name) const override;
  void read(const std::string& name, const std::function<void(const void*)>& use) override;
  uint64_t total_bytes() const override;
  const GgufFile& file() const { return file_; }

 private:
  GgufFile file_;
  ModelConfig config_;
};

// Runs a ParallelFor's items round-robin over the members of `team` (which must outlive it).
ParallelFor parallel_on(cpu::ThreadTeam& team);

class PresetSource : public TensorSource {
 public:
  PresetSource(ModelConfig config, GgmlType quant, uint64_t seed, ParallelFor parallel);
  const ModelConfig& config() const override { return config_; }
  std::string description() const override;
  std::optional<TensorSpec> spec(const std::string& name) const override;
  void read(const std::string& name, const std::function<void(const void*)>& use) override;
  uint64_t total_bytes() const override;
  const std::vector<TensorSpec>& specs() const { return specs_; }
  // Generates one tensor's bytes into dst (spec.bytes() of them).
  void generate(const TensorSpec& spec, void* dst) const;
  GgmlType quant() const { return quant_; }

 private:
  ModelConfig config_;
  GgmlType quant_;
  uint64_t seed_;
  ParallelFor parallel_;
  std::vector<TensorSpec> specs_;
  std::vector<std::byte> scratch_;
};

// Writes a preset as a GGUF file llama.cpp loads (llama.* keys, the tensors; no tokenizer).
void write_preset_gguf(PresetSource& source, const std::string& path);

}  // namespace specgap::llm
