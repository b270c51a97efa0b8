// GPT-OSS's tensors in ggml-org's MXFP4 GGUF layout (reference/llm.md §3.2, §3.4): the experts in
// MXFP4, every other matrix in Q8_0, the router, norms, biases and sinks in F32. That layout gives
// the 20b 11.27 GiB and the 120b 59.02 GiB, as ggml-org's files are.
#include "core/error.h"
#include "llm/presets.h"

namespace specgap::llm {

std::vector<TensorSpec> gpt_oss_tensor_specs(const ModelConfig& c) {
  const auto e = static_cast<uint64_t>(c.n_embd), q = static_cast<uint64_t>(c.n_head * c.head_dim),
             kv = static_cast<uint64_t>(c.n_head_kv * c.head_dim), vocab = static_cast<uint64_t>(c.n_vocab),
             experts = static_cast<uint64_t>(c.moe.n_expert), ff = static_cast<uint64_t>(c.moe.n_ff_exp);
  const GgmlType f32 = GgmlType::f32, q8 = GgmlType::q8_0, mx = GgmlType::mxfp4;
  std::vector<TensorSpec> specs;
  specs.push_back({"token_embd.weight", q8, {e, vocab}});
  specs.push_back({"output_norm.weight", f32, {e}});
  specs.push_back({"output.weight", q8, {e, vocab}});
  for (int64_t i = 0; i < c.n_layer; ++i) {
    const std::string b = "blk." + std::to_string(i) + ".";
    specs.push_back({b + "attn_norm.weight", f32, {e}});
    specs.push_back({b + "attn_q.weight", q8, {e, q}});
    specs.push_back({b + "attn_q.bias", f32, {q}});
    specs.push_back({b + "attn_k.weight", q8, {e, kv}});
    specs.push_back({b + "attn_k.bias", f32, {kv}});
    specs.push_back({b + "attn_v.weight", q8, {e, kv}});
    specs.push_back({b + "attn_v.bias", f32, {kv}});
    specs.push_back({b + "attn_output.weight", q8, {q, e}});
    specs.push_back({b + "attn_output.bias", f32, {e}});
    specs.push_back({b + "attn_sinks.weight", f32, {static_cast<uint64_t>(c.n_head)}});
    specs.push_back({b + "post_attention_norm.weight", f32, {e}});
    specs.push_back({b + "ffn_gate_inp.weight", f32, {e, experts}});
    specs.push_back({b + "ffn_gate_inp.bias", f32, {experts}});
    specs.push_back({b + "ffn_gate_exps.weight", mx, {e, ff, experts}});
    specs.push_back({b + "ffn_gate_exps.bias", f32, {ff, experts}});
    specs.push_back({b + "ffn_up_exps.weight", mx, {e, ff, experts}});
    specs.push_back({b + "ffn_up_exps.bias", f32, {ff, experts}});
    specs.push_back({b + "ffn_down_exps.weight", mx, {ff, e, experts}});
    specs.push_back({b + "ffn_down_exps.bias", f32, {e, experts}});
  }
  return specs;
}

}  // namespace specgap::llm
