#pragma once
// The GPT-OSS forward pass (reference/llm.md §3.4): token embedding; per layer RMSNorm, Q/K/V with
// biases, RoPE in the NEOX layout (halves) with YaRN, grouped-query attention whose even layers see a
// sliding window and whose heads each add a learned sink to the softmax's denominator, output
// projection with bias; RMSNorm, a router (with bias) picking the top experts by logit, a softmax over
// the chosen logits, each chosen expert's SwiGLU-OAI FFN with biases; final RMSNorm and the output
// projection for the last token. A call's tokens are grouped by expert, so each chosen expert's
// weights are read once per call: decode reads only the experts its token uses.
#include <memory>
#include <string>
#include <vector>

#include "llm/engine.h"

namespace specgap::llm {

// OpenAI's YaRN (RotaryEmbedding._compute_concentration_and_inv_freq): the inverse frequency of
// each of the n_rot / 2 rotation pairs, interpolated (divided by the factor) below the ramp between
// beta_fast's and beta_slow's dimensions and extrapolated above it; and the concentration
// 0.1 ln(factor) + 1 that multiplies cos and sin. Without scaling (factor 1): theta^(-2i/d) and 1.
std::vector<double> yarn_inv_freq(const ModelConfig& c);
double yarn_concentration(const ModelConfig& c);

class GptOssEngine : public Engine {
 public:
  GptOssEngine(TensorSource& source, cpu::ThreadTeam& team, EngineOptions options = {});
  ~GptOssEngine() override;
  GptOssEngine(const GptOssEngine&) = delete;
  GptOssEngine& operator=(const GptOssEngine&) = delete;

  const ModelConfig& config() const override { return config_; }
  const EngineOptions& options() const override { return options_; }
  const float* forward(const int32_t* tokens, int64_t n) override;
  void clear() override { position_ = window_first_slot_ = 0; }
  int64_t position() const override { return position_; }
  std::string verify_kernels(const std::vector<ForwardCall>& calls, uint64_t seed) const override;
  uint64_t weight_bytes_per_token() const override;
  uint64_t kv_bytes(int64_t positions) const override;
  double layer_flops_per_token() const override;
  double output_flops() const override;
  std::string kernels() const override;
  const std::string& attention_isa() const override { return attention_.isa; }
  // {experts, used_per_token, choices, distinct_min (the fewest experts any layer used),
  // busiest_share_max (the largest share of a layer's choices one expert took; an even spread gives
  // 1/experts)}.
  nlohmann::json routing() const override;

  // How often each expert was chosen (layer-major, n_layer x n_expert) since the engine was made:
  // what shows whether the router spreads tokens as a trained model's does.
  const std::vector<int64_t>& expert_counts() const { return expert_counts_; }

 private:
  struct Expert {
    PackedWeight gate, up, down;
  };
  struct Layer {
    std::vector<float> attn_norm, post_norm, bq, bk, bv, bo, sinks, router_bias;
    PackedWeight wq, wk, wv, wo, router;
    std::vector<Expert> experts;
    std::vector<float> gate_bias, up_bias, down_bias;  // [expert][n_ff_exp] / [expert][n_embd]
  };
  void run_member(size_t member, const int32_t* tokens, int64_t n);
  std::vector<const PackedWeight*> matrices() const;

  ModelConfig config_;
  EngineOptions options_;
  cpu::ThreadTeam& team_;
  std::vector<cpu::Buffer> storage_;
  std::vector<Layer> layers_;
  PackedWeight output_;
  std::vector<float> output_norm_;
  std::vector<double> inv_freq_;
  double concentration_ = 1;
  EmbeddingTable embedding_;
  // Each layer's cache: K as [kv head][dim][slots], V as [kv head][slots][dim]. A full-attention layer
  // has a slot per position of the context; a window layer only window_capacity() slots, whose slot 0
  // holds position window_first_slot_ (the same for every window layer).
  std::vector<KvHalf*> k_cache_, v_cache_;
  std::vector<int64_t> slots_;
  int64_t position_ = 0;
  int64_t capacity_ = 0;
  int64_t window_slots_ = 0;  // a window layer's slots (window_capacity())
  int64_t window_first_slot_ = 0;
  int64_t window_drop_ = 0;  // this call's move: the slots the window layers' caches shift down by
  cpu::AttentionKernels attention_;
  std::vector<int64_t> expert_counts_;

  struct Scratch;
  std::unique_ptr<Scratch> scratch_;
};

}  // namespace specgap::llm
