#pragma once
// The Llama forward pass (reference/llm.md §3.3): token embedding, per layer RMSNorm, Q/K/V
// projections, RoPE (llama.cpp's NORM layout, with the Llama 3 frequency factors), grouped-query
// attention over an fp16 KV cache, output projection, RMSNorm, SwiGLU FFN; final RMSNorm and the
// output projection (tied or untied) for the last token. Weights are packed at load for the matmul
// kernels (backends/cpu/quant_matmul.h); a call processes up to max_batch tokens with matrix-matrix
// kernels (prefill) or one token with the same kernels at tile width 1 (decode). The whole call runs
// as one job of the pinned thread team, its steps separated by spinning barriers.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "backends/cpu/buffer.h"
#include "backends/cpu/quant_matmul.h"
#include "backends/cpu/thread_team.h"
#include "llm/attention.h"
#include "llm/embedding_table.h"
#include "llm/model_config.h"
#include "llm/runtime.h"
#include "llm/tensor_source.h"

namespace specgap::llm {

struct EngineOptions {
  int64_t context = 4096;   // KV cache capacity in positions
  int64_t max_batch = 512;  // tokens per forward call, as llama.cpp's micro-batch (-ub)
  // The kernels that run, by default the fastest this CPU has. Naming others (a narrower ISA, or in
  // the tests a kernel broken on purpose) changes what is run, timed and checked alike.
  std::function<cpu::MatmulKernel(GgmlType)> matmul = cpu::select_matmul;
  std::function<cpu::AttentionKernels()> attention = cpu::select_attention;
};

// The kernel paths this CPU can run, fastest first ("avx512-vnni", "avx2", ..., "generic"): what
// `llm --kernels` takes, so that each path a machine offers can be measured on it.
std::vector<std::string> kernel_isas();
// Makes `o` run path `isa`: its matmul kernel for each type it has one for (the portable kernel for
// the others; the engine's kernel list names each), attention of the widest ISA the name starts with.
void use_kernels(EngineOptions& o, const std::string& isa);

// One weight matrix as the kernels read it.
struct PackedWeight {
  GgmlType type = GgmlType::f32;
  int64_t rows = 0, cols = 0;
  const std::byte* data = nullptr;
  size_t bytes = 0;  // packed bytes: what one pass over the matrix reads
  cpu::MatmulKernel kernel;
};

// A forward call the timed runs make: `tokens` tokens at cache positions first .. first + tokens - 1.
struct ForwardCall {
  int64_t first = 0, tokens = 1;
};

// Memory the engine will take for a model (packed weights, embedding table, KV cache, activations),
// computed from the tensor specs alone, before anything is allocated.
struct EngineFootprint {
  uint64_t weights = 0, embedding = 0, kv_cache = 0, activations = 0;
  uint64_t total() const { return weights + embedding + kv_cache + activations; }
};
EngineFootprint engine_footprint(const TensorSource& source, const EngineOptions& options);

// A model's forward pass on the CPU, whatever its architecture: what the benches and the soak run.
class Engine {
 public:
  virtual ~Engine() = default;
  virtual const ModelConfig& config() const = 0;
  virtual const EngineOptions& options() const = 0;
  // Runs n tokens (n <= max_batch) at the next positions, appends their K and V to the cache and
  // returns the logits of the last one (n_vocab floats, valid until the next call).
  virtual const float* forward(const int32_t* tokens, int64_t n) = 0;
  // Empties the KV cache.
  virtual void clear() = 0;
  virtual int64_t position() const = 0;
  // Checks, before anything is timed, every kernel configuration the timed `calls` will run against
  // the portable kernels, on this model's packed rows and this team. Returns "" or one line naming
  // the first mismatches.
  virtual std::string verify_kernels(const std::vector<ForwardCall>& calls, uint64_t seed) const = 0;
  // Bytes of weights one decode step reads (the matrices a token multiplies by, the output projection
  // included: for a mixture of experts, the experts it uses).
  virtual uint64_t weight_bytes_per_token() const = 0;
  // Bytes of K and V one decode step reads with `positions` in the cache.
  virtual uint64_t kv_bytes(int64_t positions) const = 0;
  // Multiply-adds x 2 of the layer matrices per token (the output projection counted separately).
  virtual double layer_flops_per_token() const = 0;
  virtual double output_flops() const = 0;
  // "q4_0 avx512-vnni, q6_k avx512-vnni": each weight type and the kernel that runs it.
  virtual std::string kernels() const = 0;
  virtual const std::string& attention_isa() const = 0;
  // For a mixture of experts, how the router spread the tokens of every call so far; null otherwise.
  virtual nlohmann::json routing() const { return nullptr; }
};

// The engine of the source's architecture (llama or gpt-oss).
std::unique_ptr<Engine> make_engine(TensorSource& source, cpu::ThreadTeam& team, EngineOptions options = {});

class LlamaEngine : public Engine {
 public:
  // Checks every tensor's presence, type and shape against the config, then packs them on `team`.
  LlamaEngine(TensorSource& source, cpu::ThreadTeam& team, EngineOptions options = {});
  LlamaEngine(TensorSource& source, Runtime& runtime, EngineOptions options = {})
      : LlamaEngine(source, runtime.team(), std::move(options)) {}
  ~LlamaEngine();
  LlamaEngine(const LlamaEngine&) = delete;
  LlamaEngine& operator=(const LlamaEngine&) = delete;

  const ModelConfig& config() const override { return config_; }
  const EngineOptions& options() const override { return options_; }
  const float* forward(const int32_t* tokens, int64_t n) override;
  void clear() override { position_ = 0; }
  int64_t position() const override { return position_; }
  // kernel_check.cpp says what is sampled and with what tolerance.
  std::string verify_kernels(const std::vector<ForwardCall>& calls, uint64_t seed) const override;
  uint64_t weight_bytes_per_token() const override;
  uint64_t kv_bytes(int64_t positions) const override;
  double layer_flops_per_token() const override;
  double output_flops() const override;
  std::string kernels() const override;
  const std::string& attention_isa() const override { return attention_.isa; }

 private:
  struct Layer {
    std::vector<float> attn_norm, ffn_norm;
    PackedWeight wq, wk, wv, wo, gate, up, down;
  };
  void run_member(size_t member, const int32_t* tokens, int64_t n);

  ModelConfig config_;
  EngineOptions options_;
  cpu::ThreadTeam& team_;
  std::vector<cpu::Buffer> storage_;
  std::vector<Layer> layers_;
  PackedWeight output_;
  std::vector<float> output_norm_, rope_factors_;
  EmbeddingTable embedding_;
  KvHalf* k_cache_ = nullptr;  // [layer][kv head][dim][capacity]
  KvHalf* v_cache_ = nullptr;  // [layer][kv head][capacity][dim]
  int64_t position_ = 0;
  int64_t capacity_ = 0;  // cache positions, the context padded to 16
  cpu::AttentionKernels attention_;

  struct Scratch;
  std::unique_ptr<Scratch> scratch_;
};

}  // namespace specgap::llm
