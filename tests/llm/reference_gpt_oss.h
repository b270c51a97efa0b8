#pragma once
// A plain fp64 GPT-OSS forward pass over dequantised weights (reference/llm.md §3.4, OpenAI's
// gpt_oss/torch/model.py written out): the reference the engine is tested against. Every token
// recomputes attention over every earlier token's K and V; every expert a token chooses runs on
// that token alone.
#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include "llm/tensor_source.h"
#include "reference_weights.h"

namespace specgap::llm::test {

class ReferenceGptOss {
 public:
  explicit ReferenceGptOss(TensorSource& s) : c_(s.config()) {
    auto load = [&](const std::string& name) { return load_dequantized(s, name); };
    embd_ = load("token_embd.weight");
    out_norm_ = load("output_norm.weight");
    output_ = load("output.weight");
    for (int64_t l = 0; l < c_.n_layer; ++l) {
      const std::string b = "blk." + std::to_string(l) + ".";
      Layer L;
      for (auto [field, name] : {std::pair{&L.attn_norm, "attn_norm.weight"}, {&L.wq, "attn_q.weight"}, {&L.bq, "attn_q.bias"},
                                 {&L.wk, "attn_k.weight"}, {&L.bk, "attn_k.bias"}, {&L.wv, "attn_v.weight"},
                                 {&L.bv, "attn_v.bias"}, {&L.wo, "attn_output.weight"}, {&L.bo, "attn_output.bias"},
                                 {&L.sinks, "attn_sinks.weight"}, {&L.post_norm, "post_attention_norm.weight"},
                                 {&L.router, "ffn_gate_inp.weight"}, {&L.router_bias, "ffn_gate_inp.bias"},
                                 {&L.gate, "ffn_gate_exps.weight"}, {&L.gate_bias, "ffn_gate_exps.bias"},
                                 {&L.up, "ffn_up_exps.weight"}, {&L.up_bias, "ffn_up_exps.bias"},
                                 {&L.down, "ffn_down_exps.weight"}, {&L.down_bias, "ffn_down_exps.bias"}})
        *field = load(b + name);
      layers_.push_back(std::move(L));
    }
    keys_.resize(c_.n_layer);
    values_.resize(c_.n_layer);
  }

  // Appends one token; returns its logits.
  std::vector<double> step(int token) {
    const int64_t E = c_.n_embd, D = c_.head_dim, H = c_.n_head, Hkv = c_.n_head_kv, F = c_.moe.n_ff_exp;
    const int64_t X = c_.moe.n_expert, K = c_.moe.n_expert_used;
    const int64_t pos = static_cast<int64_t>(keys_[0].size());
    std::vector<double> x(embd_.begin() + token * E, embd_.begin() + (token + 1) * E);
    for (int64_t l = 0; l < c_.n_layer; ++l) {
      const Layer& L = layers_[l];
      auto t = norm(x, L.attn_norm);
      auto q = linear(L.wq, L.bq, t, 0, H * D), k = linear(L.wk, L.bk, t, 0, Hkv * D), v = linear(L.wv, L.bv, t, 0, Hkv * D);
      rope(q, H, pos);
      rope(k, Hkv, pos);
      keys_[l].push_back(k);
      values_[l].push_back(v);
      const int64_t first = c_.sliding(l) ? std::max<int64_t>(0, pos - c_.sliding_window + 1) : 0;
      std::vector<double> attn(H * D, 0.0);
      for (int64_t h = 0; h < H; ++h) {
        const int64_t kvh = h / (H / Hkv);
        std::vector<double> w(pos + 1, 0.0);
        double max = L.sinks[h];
        for (int64_t j = first; j <= pos; ++j) {
          double dot = 0;
          for (int64_t d = 0; d < D; ++d) dot += q[h * D + d] * keys_[l][j][kvh * D + d];
          w[j] = dot / std::sqrt(static_cast<double>(D));
          max = std::max(max, w[j]);
        }
        double sum = std::exp(L.sinks[h] - max);  // the sink: in the denominator only
        for (int64_t j = first; j <= pos; ++j) sum += (w[j] = std::exp(w[j] - max));
        for (int64_t j = first; j <= pos; ++j)
          for (int64_t d = 0; d < D; ++d) attn[h * D + d] += w[j] / sum * values_[l][j][kvh * D + d];
      }
      auto o = linear(L.wo, L.bo, attn, 0, E);
      for (int64_t i = 0; i < E; ++i) x[i] += o[i];
      t = norm(x, L.post_norm);
      auto logits = linear(L.router, L.router_bias, t, 0, X);
      std::vector<int64_t> idx(X);
      for (int64_t e = 0; e < X; ++e) idx[e] = e;
      std::stable_sort(idx.begin(), idx.end(), [&](int64_t a, int64_t b) { return logits[a] > logits[b]; });
      double max = logits[idx[0]], sum = 0;
      for (int64_t j = 0; j < K; ++j) sum += std::exp(logits[idx[j]] - max);
      for (int64_t j = 0; j < K; ++j) {
        const int64_t e = idx[j];
        const double weight = std::exp(logits[e] - max) / sum;
        auto g = linear(L.gate, L.gate_bias, t, e, F), u = linear(L.up, L.up_bias, t, e, F);
        std::vector<double> h(F);
        for (int64_t i = 0; i < F; ++i) {
          const double gc = std::min(g[i], 7.0), uc = std::clamp(u[i], -7.0, 7.0);
          h[i] = gc / (1 + std::exp(-1.702 * gc)) * (uc + 1);
        }
        auto dn = linear(L.down, L.down_bias, h, e, E);
        for (int64_t i = 0; i < E; ++i) x[i] += weight * dn[i];
      }
    }
    return linear(output_, {}, norm(x, out_norm_), 0, c_.n_vocab);
  }

 private:
  struct Layer {
    std::vector<double> attn_norm, wq, bq, wk, bk, wv, bv, wo, bo, sinks, post_norm, router, router_bias, gate, gate_bias,
        up, up_bias, down, down_bias;
  };
  std::vector<double> norm(const std::vector<double>& x, const std::vector<double>& w) const {
    double ss = 0;
    for (double v : x) ss += v * v;
    const double scale = 1 / std::sqrt(ss / static_cast<double>(x.size()) + c_.rms_eps);
    std::vector<double> out(x.size());
    for (size_t i = 0; i < x.size(); ++i) out[i] = x[i] * scale * w[i];
    return out;
  }
  // Matrix `which` of a stack (an expert) times x, plus its bias row when there is one.
  static std::vector<double> linear(const std::vector<double>& w, const std::vector<double>& b, const std::vector<double>& x,
                                    int64_t which, int64_t rows) {
    std::vector<double> out(rows);
    const size_t cols = x.size();
    const double* m = w.data() + which * rows * static_cast<int64_t>(cols);
    for (int64_t r = 0; r < rows; ++r) {
      double s = b.empty() ? 0 : b[which * rows + r];
      for (size_t i = 0; i < cols; ++i) s += m[r * cols + i] * x[i];
      out[r] = s;
    }
    return out;
  }
  // OpenAI's YaRN: frequencies interpolated below the ramp, extrapolated above it; cos and sin
  // scaled by the concentration; the NEOX layout (first half against second).
  void rope(std::vector<double>& v, int64_t heads, int64_t pos) const {
    const int64_t half = c_.n_rot / 2;
    const double base = c_.rope_theta, factor = c_.yarn.factor, orig = c_.yarn.original_context;
    const double low = half * std::log(orig / (c_.yarn.beta_fast * 2 * std::numbers::pi)) / std::log(base);
    const double high = half * std::log(orig / (c_.yarn.beta_slow * 2 * std::numbers::pi)) / std::log(base);
    const double concentration = factor > 1 ? 0.1 * std::log(factor) + 1 : 1;
    for (int64_t i = 0; i < half; ++i) {
      const double freq = std::pow(base, 2.0 * i / c_.n_rot);
      const double mask = 1 - std::clamp((i - low) / (high - low), 0.0, 1.0);
      const double inv = factor > 1 ? 1 / (factor * freq) * (1 - mask) + 1 / freq * mask : 1 / freq;
      const double cs = std::cos(pos * inv) * concentration, sn = std::sin(pos * inv) * concentration;
      for (int64_t h = 0; h < heads; ++h) {
        double& a = v[h * c_.head_dim + i];
        double& b = v[h * c_.head_dim + i + half];
        const double x1 = a, x2 = b;
        a = x1 * cs - x2 * sn;
        b = x2 * cs + x1 * sn;
      }
    }
  }

  ModelConfig c_;
  std::vector<double> embd_, out_norm_, output_;
  std::vector<Layer> layers_;
  std::vector<std::vector<std::vector<double>>> keys_, values_;  // [layer][position][kv]
};

}  // namespace specgap::llm::test
