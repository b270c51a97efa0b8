#pragma once
// A plain fp64 Llama forward pass over dequantised weights: the reference the engine is tested
// against. No quantised activations, no packing, no threads, no cache tricks: each token recomputes
// attention over every earlier token's K and V.
#include <cmath>
#include <string>
#include <vector>

#include "llm/tensor_source.h"
#include "reference_weights.h"

namespace specgap::llm::test {

class ReferenceLlama {
 public:
  explicit ReferenceLlama(TensorSource& s) : c_(s.config()) {
    auto load = [&](const std::string& name) { return load_dequantized(s, name); };
    embd_ = load("token_embd.weight");
    out_norm_ = load("output_norm.weight");
    output_ = c_.tied_output ? embd_ : load("output.weight");
    factors_ = s.spec("rope_freqs.weight") ? load("rope_freqs.weight") : std::vector<double>(c_.n_rot / 2, 1.0);
    for (int64_t l = 0; l < c_.n_layer; ++l) {
      const std::string b = "blk." + std::to_string(l) + ".";
      layers_.push_back({load(b + "attn_norm.weight"), load(b + "attn_q.weight"), load(b + "attn_k.weight"),
                         load(b + "attn_v.weight"), load(b + "attn_output.weight"), load(b + "ffn_norm.weight"),
                         load(b + "ffn_gate.weight"), load(b + "ffn_up.weight"), load(b + "ffn_down.weight")});
    }
    keys_.resize(c_.n_layer);
    values_.resize(c_.n_layer);
  }

  // Appends one token; returns its logits.
  std::vector<double> step(int token) {
    const int64_t E = c_.n_embd, D = c_.head_dim, H = c_.n_head, Hkv = c_.n_head_kv;
    const int64_t pos = static_cast<int64_t>(keys_[0].size());
    std::vector<double> x(embd_.begin() + token * E, embd_.begin() + (token + 1) * E);
    for (int64_t l = 0; l < c_.n_layer; ++l) {
      const Layer& L = layers_[l];
      auto xn = norm(x, L.attn_norm);
      auto q = matvec(L.wq, xn, H * D), k = matvec(L.wk, xn, Hkv * D), v = matvec(L.wv, xn, Hkv * D);
      rope(q, H, pos);
      rope(k, Hkv, pos);
      keys_[l].push_back(k);
      values_[l].push_back(v);
      std::vector<double> attn(H * D, 0.0);
      for (int64_t h = 0; h < H; ++h) {
        const int64_t kvh = h / (H / Hkv);
        std::vector<double> w(pos + 1);
        double max = -1e300, sum = 0;
        for (int64_t j = 0; j <= pos; ++j) {
          double dot = 0;
          for (int64_t d = 0; d < D; ++d) dot += q[h * D + d] * keys_[l][j][kvh * D + d];
          w[j] = dot / std::sqrt(static_cast<double>(D));
          max = std::max(max, w[j]);
        }
        for (auto& e : w) sum += (e = std::exp(e - max));
        for (int64_t j = 0; j <= pos; ++j)
          for (int64_t d = 0; d < D; ++d) attn[h * D + d] += w[j] / sum * values_[l][j][kvh * D + d];
      }
      auto o = matvec(L.wo, attn, E);
      for (int64_t i = 0; i < E; ++i) x[i] += o[i];
      xn = norm(x, L.ffn_norm);
      auto g = matvec(L.gate, xn, c_.n_ff), u = matvec(L.up, xn, c_.n_ff);
      for (int64_t i = 0; i < c_.n_ff; ++i) g[i] = g[i] / (1 + std::exp(-g[i])) * u[i];
      auto dn = matvec(L.down, g, E);
      for (int64_t i = 0; i < E; ++i) x[i] += dn[i];
    }
    return matvec(output_, norm(x, out_norm_), c_.n_vocab);
  }

 private:
  struct Layer {
    std::vector<double> attn_norm, wq, wk, wv, wo, ffn_norm, gate, up, down;
  };
  std::vector<double> norm(const std::vector<double>& x, const std::vector<double>& w) const {
    double ss = 0;
    for (double v : x) ss += v * v;
    const double scale = 1 / std::sqrt(ss / static_cast<double>(x.size()) + c_.rms_eps);
    std::vector<double> out(x.size());
    for (size_t i = 0; i < x.size(); ++i) out[i] = x[i] * scale * w[i];
    return out;
  }
  static std::vector<double> matvec(const std::vector<double>& w, const std::vector<double>& x, int64_t rows) {
    std::vector<double> out(rows);
    const size_t cols = x.size();
    for (int64_t r = 0; r < rows; ++r) {
      double s = 0;
      for (size_t i = 0; i < cols; ++i) s += w[r * cols + i] * x[i];
      out[r] = s;
    }
    return out;
  }
  void rope(std::vector<double>& v, int64_t heads, int64_t pos) const {
    for (int64_t h = 0; h < heads; ++h)
      for (int64_t i = 0; i < c_.n_rot / 2; ++i) {
        const double theta = pos * std::pow(c_.rope_theta, -2.0 * i / c_.n_rot) / factors_[i];
        double& a = v[h * c_.head_dim + 2 * i];
        double& b = v[h * c_.head_dim + 2 * i + 1];
        const double x0 = a, x1 = b;
        a = x0 * std::cos(theta) - x1 * std::sin(theta);
        b = x0 * std::sin(theta) + x1 * std::cos(theta);
      }
  }

  ModelConfig c_;
  std::vector<double> embd_, out_norm_, output_, factors_;
  std::vector<Layer> layers_;
  std::vector<std::vector<std::vector<double>>> keys_, values_;
};

}  // namespace specgap::llm::test
