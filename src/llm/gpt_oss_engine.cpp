#include "llm/gpt_oss_engine.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <numbers>
#include <numeric>
#include <ranges>
#include <set>

#include "backends/cpu/half.h"
#include "backends/cpu/quant_reference.h"
#include "core/error.h"
#include "llm/engine_steps.h"
#include "llm/kernel_check.h"
#include "llm/row_chunks.h"
#include "llm/spin_barrier.h"
#include "llm/vector_ops.h"

namespace specgap::llm {

std::vector<double> yarn_inv_freq(const ModelConfig& c) {
  const int64_t half = c.n_rot / 2;
  std::vector<double> inv(half);
  const double d_half = static_cast<double>(half);
  const double low = d_half * std::log(c.yarn.original_context / (c.yarn.beta_fast * 2 * std::numbers::pi)) / std::log(c.rope_theta);
  const double high = d_half * std::log(c.yarn.original_context / (c.yarn.beta_slow * 2 * std::numbers::pi)) / std::log(c.rope_theta);
  for (int64_t i = 0; i < half; ++i) {
    const double freq = std::pow(c.rope_theta, 2.0 * static_cast<double>(i) / static_cast<double>(c.n_rot));
    if (c.yarn.factor <= 1) {
      inv[i] = 1 / freq;
      continue;
    }
    const double ramp = std::clamp((static_cast<double>(i) - low) / (high - low), 0.0, 1.0);
    const double extrapolated = 1 - ramp;  // the share of 1/freq; the rest interpolated, 1/(factor freq)
    inv[i] = (1 / (c.yarn.factor * freq)) * ramp + (1 / freq) * extrapolated;
  }
  return inv;
}

double yarn_concentration(const ModelConfig& c) { return c.yarn.factor > 1 ? 0.1 * std::log(c.yarn.factor) + 1 : 1; }

struct GptOssEngine::Scratch {
  Scratch(const ModelConfig& c, int64_t batch, int64_t capacity, size_t members)
      : barrier(members) {
    const int64_t E = c.n_embd, Q = c.n_head * c.head_dim, KV = c.n_head_kv * c.head_dim, F = c.moe.n_ff_exp;
    const int64_t K = c.moe.n_expert_used, X = c.moe.n_expert;
    x.resize(batch * E);
    x_next.resize(batch * E);
    xn.resize(batch * E);
    qb.resize(batch * Q);
    kb.resize(batch * KV);
    vb.resize(batch * KV);
    attn.resize(batch * Q);
    tmp.resize(batch * E);
    router.resize(batch * X);
    chosen.resize(batch * K);
    weight.resize(batch * K);
    order.resize(batch * K);
    sorted_token.resize(batch * K);
    expert_first.resize(X + 1);
    hg.resize(batch * K * F);
    hu.resize(batch * K * F);
    dn.resize(batch * K * E);
    logits.resize(c.n_vocab);
    const size_t widest = static_cast<size_t>(std::max({E, Q, F})) * sizeof(float);  // the largest act row
    for (auto& a : act) a.resize(static_cast<size_t>(batch) * widest);
    gathered.resize(static_cast<size_t>(batch * K) * widest);
    rope_cos.resize(batch * c.n_rot / 2);
    rope_sin.resize(batch * c.n_rot / 2);
    scores.resize(members, std::vector<float>(cpu::kAttnTile * capacity));
    steps = static_cast<size_t>(5 * c.n_layer + 1);
    next_group = std::make_unique<std::atomic<int64_t>[]>(steps);
  }
  std::vector<float> x, x_next, xn, qb, kb, vb, attn, tmp, router, weight, hg, hu, dn, logits, rope_cos, rope_sin;
  std::vector<int32_t> chosen, order, sorted_token;
  std::vector<int64_t> expert_first;  // assignments of expert e: [expert_first[e], expert_first[e + 1])
  std::vector<std::byte> act[3], gathered;
  std::vector<std::vector<float>> scores;
  SpinBarrier barrier;
  std::unique_ptr<std::atomic<int64_t>[]> next_group;
  size_t steps = 0;
};

GptOssEngine::GptOssEngine(TensorSource& source, cpu::ThreadTeam& team, EngineOptions options)
    : config_(source.config()), options_(options), team_(team) {
  validate(config_);
  const ModelConfig& c = config_;
  if (c.arch != Architecture::gpt_oss) throw Error("engine: " + source.description() + " is not gpt-oss");
  if (options_.context < 1 || options_.max_batch < 1) throw Error("engine: context and batch must be positive");
  const int64_t E = c.n_embd, Q = c.n_head * c.head_dim, KV = c.n_head_kv * c.head_dim, F = c.moe.n_ff_exp,
                X = c.moe.n_expert;
  auto pack = [&](const std::string& name, int64_t cols, int64_t rows, int64_t count = 1) {
    return pack_matrices(source, team_, name, cols, rows, count, options_.matmul, storage_);
  };
  layers_.resize(c.n_layer);
  for (int64_t l = 0; l < c.n_layer; ++l) {
    Layer& L = layers_[l];
    const std::string b = "blk." + std::to_string(l) + ".";
    L.attn_norm = read_vector(source, b + "attn_norm.weight", E);
    L.post_norm = read_vector(source, b + "post_attention_norm.weight", E);
    L.wq = pack(b + "attn_q.weight", E, Q)[0];
    L.wk = pack(b + "attn_k.weight", E, KV)[0];
    L.wv = pack(b + "attn_v.weight", E, KV)[0];
    L.wo = pack(b + "attn_output.weight", Q, E)[0];
    L.bq = read_vector(source, b + "attn_q.bias", Q);
    L.bk = read_vector(source, b + "attn_k.bias", KV);
    L.bv = read_vector(source, b + "attn_v.bias", KV);
    L.bo = read_vector(source, b + "attn_output.bias", E);
    L.sinks = read_vector(source, b + "attn_sinks.weight", c.n_head);
    L.router = pack(b + "ffn_gate_inp.weight", E, X)[0];
    L.router_bias = read_vector(source, b + "ffn_gate_inp.bias", X);
    const auto gate = pack(b + "ffn_gate_exps.weight", E, F, X), up = pack(b + "ffn_up_exps.weight", E, F, X),
               down = pack(b + "ffn_down_exps.weight", F, E, X);
    for (int64_t e = 0; e < X; ++e) L.experts.push_back({gate[e], up[e], down[e]});
    auto biases = [&](const std::string& name, int64_t width) {
      const TensorSpec s = expect(source, name, {static_cast<uint64_t>(width), static_cast<uint64_t>(X)});
      if (s.type != GgmlType::f32) throw Error(source.description() + ": tensor " + name + " must be f32");
      std::vector<float> v(static_cast<size_t>(width * X));
      source.read(name, [&](const void* data) { std::memcpy(v.data(), data, v.size() * sizeof(float)); });
      return v;
    };
    L.gate_bias = biases(b + "ffn_gate_exps.bias", F);
    L.up_bias = biases(b + "ffn_up_exps.bias", F);
    L.down_bias = biases(b + "ffn_down_exps.bias", E);
  }
  output_norm_ = read_vector(source, "output_norm.weight", E);
  output_ = pack(c.tied_output ? "token_embd.weight" : "output.weight", E, c.n_vocab)[0];

  embedding_ = EmbeddingTable(source, c.n_embd, c.n_vocab, storage_);

  inv_freq_ = yarn_inv_freq(c);
  concentration_ = yarn_concentration(c);
  capacity_ = padded_capacity(options_.context);
  attention_ = options_.attention();
  window_slots_ = window_capacity(c.sliding_window, options_.max_batch, options_.context);
  for (int64_t l = 0; l < c.n_layer; ++l) slots_.push_back(cache_slots(c, options_, l));
  // Zeroed, so that the kernels' reads past the last position (weighted by 0) meet finite numbers.
  for (auto* cache : {&k_cache_, &v_cache_}) {
    const uint64_t bytes = static_cast<uint64_t>(KV) * static_cast<uint64_t>(std::accumulate(slots_.begin(), slots_.end(), int64_t{0})) * sizeof(KvHalf);
    storage_.emplace_back(bytes);
    std::memset(storage_.back().data(), 0, bytes);
    KvHalf* at = storage_.back().as<KvHalf>();
    for (int64_t l = 0; l < c.n_layer; ++l) {
      cache->push_back(at);
      at += KV * slots_[l];
    }
  }
  expert_counts_.assign(static_cast<size_t>(c.n_layer * X), 0);
  scratch_ = std::make_unique<Scratch>(c, options_.max_batch, capacity_, team_.size());
}

GptOssEngine::~GptOssEngine() = default;

std::vector<const PackedWeight*> GptOssEngine::matrices() const {
  std::vector<const PackedWeight*> out;
  for (const auto& L : layers_) {
    for (const PackedWeight* w : {&L.wq, &L.wk, &L.wv, &L.wo, &L.router}) out.push_back(w);
    for (const auto& x : L.experts)
      for (const PackedWeight* w : {&x.gate, &x.up, &x.down}) out.push_back(w);
  }
  out.push_back(&output_);
  return out;
}

uint64_t GptOssEngine::weight_bytes_per_token() const {
  // A token multiplies by every attention matrix, the router, n_expert_used experts and the output.
  uint64_t total = output_.bytes + embedding_.row_bytes();
  for (const auto& L : layers_) {
    total += L.wq.bytes + L.wk.bytes + L.wv.bytes + L.wo.bytes + L.router.bytes;
    const auto& x = L.experts.front();
    total += static_cast<uint64_t>(config_.moe.n_expert_used) * (x.gate.bytes + x.up.bytes + x.down.bytes);
  }
  return total;
}

uint64_t GptOssEngine::kv_bytes(int64_t positions) const {
  // Window layers read at most their window (or the positions there are).
  uint64_t per_position_layers = 0;
  for (int64_t l = 0; l < config_.n_layer; ++l)
    per_position_layers += static_cast<uint64_t>(config_.sliding(l) ? std::min(positions, config_.sliding_window) : positions);
  return per_position_layers * 2 * static_cast<uint64_t>(config_.n_head_kv * config_.head_dim) * sizeof(KvHalf);
}

double GptOssEngine::layer_flops_per_token() const {
  double macs = 0;
  for (const auto& L : layers_) {
    for (const PackedWeight* w : {&L.wq, &L.wk, &L.wv, &L.wo, &L.router}) macs += static_cast<double>(w->rows) * w->cols;
    const auto& x = L.experts.front();
    macs += static_cast<double>(config_.moe.n_expert_used) *
            (static_cast<double>(x.gate.rows) * x.gate.cols + static_cast<double>(x.up.rows) * x.up.cols +
             static_cast<double>(x.down.rows) * x.down.cols);
  }
  return 2 * macs;
}

double GptOssEngine::output_flops() const { return 2.0 * static_cast<double>(output_.rows) * static_cast<double>(output_.cols); }

std::string GptOssEngine::kernels() const {
  std::set<std::string> seen;
  for (const PackedWeight* w : matrices()) seen.insert(std::string(to_string(w->type)) + " " + w->kernel.isa);
  std::string out;
  for (const auto& s : seen) out += (out.empty() ? "" : ", ") + s;
  return out;
}

nlohmann::json GptOssEngine::routing() const {
  const int64_t X = config_.moe.n_expert;
  int64_t distinct_min = X, choices = 0;
  double busiest = 0;
  for (int64_t l = 0; l < config_.n_layer; ++l) {
    const auto first = expert_counts_.begin() + l * X, last = first + X;
    const int64_t total = std::accumulate(first, last, int64_t{0});
    if (total == 0) continue;
    choices += total;
    distinct_min = std::min<int64_t>(distinct_min, std::count_if(first, last, [](int64_t n) { return n > 0; }));
    busiest = std::max(busiest, static_cast<double>(*std::max_element(first, last)) / static_cast<double>(total));
  }
  return {{"experts", X},
          {"used_per_token", config_.moe.n_expert_used},
          {"choices", choices},
          {"distinct_min", choices ? distinct_min : 0},
          {"busiest_share_max", busiest}};
}

const float* GptOssEngine::forward(const int32_t* tokens, int64_t n) {
  check_call(tokens, n, position_, options_, config_.n_vocab);
  // Where this call's positions would pass the window layers' last slot, their caches drop what no
  // query of the call sees: everything before its first query's window, from a 16-aligned start.
  window_drop_ = 0;
  if (window_slots_ < capacity_ && padded_capacity(position_ + n) - window_first_slot_ > window_slots_) {
    const int64_t first = std::max<int64_t>(0, position_ - config_.sliding_window + 1) / 16 * 16;
    window_drop_ = first - window_first_slot_;
    window_first_slot_ = first;
  }
  team_.run([&](size_t m) { run_member(m, tokens, n); });
  position_ += n;
  return scratch_->logits.data();
}

void GptOssEngine::run_member(size_t m, const int32_t* tokens, int64_t n) {
  const ModelConfig& c = config_;
  Scratch& s = *scratch_;
  const size_t members = team_.size();
  const int64_t E = c.n_embd, D = c.head_dim, H = c.n_head, Hkv = c.n_head_kv, Q = H * D, KV = Hkv * D;
  const int64_t F = c.moe.n_ff_exp, K = c.moe.n_expert_used, X = c.moe.n_expert;
  const int64_t half_rot = c.n_rot / 2, pos0 = position_;
  const Span mine = share(n, members, m);
  auto sync = [&] { s.barrier.wait(); };

  auto part = [&](int64_t width, int64_t first, int64_t count) { return member_part(width, first, count, members, m); };
  // Quantises part p of x (rows of `cols`) for weight type t into dst, rows act_row_bytes apart.
  auto quantize = [&](GgmlType t, const float* x, int64_t cols, const Part& p, std::byte* dst) {
    const size_t stride = cpu::act_row_bytes(t, cols), skip = cpu::act_row_bytes(t, p.c0);
    for (int64_t r = p.t0; r < p.t1; ++r)
      cpu::quantize_act_row(t, x + r * cols + p.c0, p.c1 - p.c0, dst + r * stride + skip);
  };
  Residual res(s.x.data(), s.x_next.data(), s.xn.data(), E, c.rms_eps);
  size_t step = 0;
  auto matmuls = [&](std::span<const Product> ps) { run_products(ps, s.next_group[step++], members); };
  auto matmul_list = [&](std::initializer_list<Product> ps) { matmuls({ps.begin(), ps.size()}); };

  if (m == 0)
    for (size_t i = 0; i < s.steps; ++i) s.next_group[i].store(0, std::memory_order_relaxed);
  // Embeddings, and the YaRN rotation of this call's positions (cos and sin times the concentration).
  for (int64_t t = mine.begin; t < mine.end; ++t) {
    embedding_.row(tokens[t], res.x() + t * E);
    const double pos = static_cast<double>(pos0 + t);
    for (int64_t i = 0; i < half_rot; ++i) {
      s.rope_cos[t * half_rot + i] = static_cast<float>(std::cos(pos * inv_freq_[i]) * concentration_);
      s.rope_sin[t * half_rot + i] = static_cast<float>(std::sin(pos * inv_freq_[i]) * concentration_);
    }
  }
  sync();
  // Bias, then the NEOX rotation (the first half of the rotated dims against the second).
  auto bias_rope = [&](float* v, const std::vector<float>& bias, Span heads, int64_t t) {
    const float* cs = s.rope_cos.data() + t * half_rot;
    const float* sn = s.rope_sin.data() + t * half_rot;
    for (int64_t h = heads.begin; h < heads.end; ++h) {
      float* x = v + h * D;
      for (int64_t d = 0; d < D; ++d) x[d] += bias[h * D + d];
      for (int64_t i = 0; i < half_rot; ++i) {
        const float a = x[i], b = x[i + half_rot];
        x[i] = a * cs[i] - b * sn[i];
        x[i + half_rot] = b * cs[i] + a * sn[i];
      }
    }
  };

  for (int64_t l = 0; l < c.n_layer; ++l) {
    const Layer& L = layers_[l];
    KvHalf* k_layer = k_cache_[l];
    KvHalf* v_layer = v_cache_[l];
    const int64_t cap = slots_[l], first_slot = c.sliding(l) ? window_first_slot_ : 0;
    const Part pe = part(E, 0, n);
    res.add_norm(l > 0 ? s.tmp.data() : nullptr, L.attn_norm, pe);
    // Q, K and V (one quantisation when they share a type, as ggml-org's files have them).
    quantize(L.wq.type, s.xn.data(), E, pe, s.act[0].data());
    if (L.wk.type != L.wq.type) quantize(L.wk.type, s.xn.data(), E, pe, s.act[1].data());
    if (L.wv.type != L.wq.type) quantize(L.wv.type, s.xn.data(), E, pe, s.act[2].data());
    sync();
    auto act_of = [&](const PackedWeight& w, int slot) { return w.type == L.wq.type ? s.act[0].data() : s.act[slot].data(); };
    matmul_list({{&L.wq, s.act[0].data(), cpu::act_row_bytes(L.wq.type, E), n, s.qb.data(), Q},
             {&L.wk, act_of(L.wk, 1), cpu::act_row_bytes(L.wk.type, E), n, s.kb.data(), KV},
             {&L.wv, act_of(L.wv, 2), cpu::act_row_bytes(L.wv.type, E), n, s.vb.data(), KV}});
    sync();
    const Span heads = share(H, members, m), kv_heads = share(Hkv, members, m);
    if (c.sliding(l) && window_drop_ > 0) {
      const int64_t kept = pos0 - first_slot;  // positions first_slot .. pos0 - 1 stay
      for (int64_t h = kv_heads.begin; h < kv_heads.end; ++h) {
        for (int64_t d = 0; d < D; ++d)
          std::memmove(k_layer + (h * D + d) * cap, k_layer + (h * D + d) * cap + window_drop_, kept * sizeof(KvHalf));
        std::memmove(v_layer + h * cap * D, v_layer + (h * cap + window_drop_) * D, kept * D * sizeof(KvHalf));
      }
    }
    for (int64_t t = 0; t < n; ++t) {
      bias_rope(s.qb.data() + t * Q, L.bq, heads, t);
      bias_rope(s.kb.data() + t * KV, L.bk, kv_heads, t);
      const int64_t pos = pos0 + t - first_slot;
      for (int64_t h = kv_heads.begin; h < kv_heads.end; ++h)
        for (int64_t d = 0; d < D; ++d) {
          k_layer[(h * D + d) * cap + pos] = cpu::float_to_fp16(s.kb[t * KV + h * D + d]);
          v_layer[(h * cap + pos) * D + d] = cpu::float_to_fp16(s.vb[t * KV + h * D + d] + L.bv[h * D + d]);
        }
    }
    sync();
    for (int64_t h = heads.begin; h < heads.end; ++h) {
      const int64_t kvh = h / (H / Hkv);
      AttentionArgs a{s.qb.data() + h * D, Q, n, pos0, k_layer + kvh * D * cap, v_layer + kvh * cap * D, cap, D,
                      1.0f / std::sqrt(static_cast<float>(D)), s.attn.data() + h * D, Q, s.scores[m].data()};
      a.window = c.sliding(l) ? c.sliding_window : 0;
      a.sink = &L.sinks[h];
      a.first_slot = first_slot;
      attend(attention_, a);
    }
    sync();
    quantize(L.wo.type, s.attn.data(), Q, part(Q, 0, n), s.act[0].data());
    sync();
    matmul_list({{&L.wo, s.act[0].data(), cpu::act_row_bytes(L.wo.type, Q), n, s.tmp.data(), E}});
    sync();
    for (int64_t t = pe.t0; t < pe.t1; ++t)
      for (int64_t i = pe.c0; i < pe.c1; ++i) s.tmp[t * E + i] += L.bo[i];
    sync();
    res.add_norm(s.tmp.data(), L.post_norm, pe);
    // The router's logits (its weights are F32: the activations stay floats), and the experts'
    // activations quantised once per token.
    quantize(L.router.type, s.xn.data(), E, pe, s.act[0].data());
    const GgmlType xt = L.experts.front().gate.type;
    quantize(xt, s.xn.data(), E, pe, s.act[1].data());
    sync();
    matmul_list({{&L.router, s.act[0].data(), cpu::act_row_bytes(L.router.type, E), n, s.router.data(), X}});
    sync();
    // Each token's top K experts by logit (ties to the lower index), weighted by a softmax over them.
    for (int64_t t = mine.begin; t < mine.end; ++t) {
      float* logit = s.router.data() + t * X;
      for (int64_t e = 0; e < X; ++e) logit[e] += L.router_bias[e];
      int32_t* pick = s.chosen.data() + t * K;
      for (int64_t j = 0; j < K; ++j) {
        int32_t best = -1;
        for (int32_t e = 0; e < X; ++e) {
          if (std::find(pick, pick + j, e) != pick + j) continue;
          if (best < 0 || logit[e] > logit[best]) best = e;
        }
        pick[j] = best;
      }
      float max = logit[pick[0]], sum = 0;
      for (int64_t j = 0; j < K; ++j) sum += (s.weight[t * K + j] = std::exp(logit[pick[j]] - max));
      for (int64_t j = 0; j < K; ++j) s.weight[t * K + j] /= sum;
    }
    sync();
    // The assignments grouped by expert (member 0: a few hundred entries at most).
    if (m == 0) {
      std::fill(s.expert_first.begin(), s.expert_first.end(), 0);
      for (int64_t a = 0; a < n * K; ++a) ++s.expert_first[s.chosen[a] + 1];
      for (int64_t e = 0; e < X; ++e) {
        s.expert_first[e + 1] += s.expert_first[e];
        expert_counts_[static_cast<size_t>(l * X + e)] += s.expert_first[e + 1] - s.expert_first[e];
      }
      std::vector<int64_t> fill(s.expert_first.begin(), s.expert_first.end() - 1);
      for (int64_t a = 0; a < n * K; ++a) {
        const int64_t at = fill[s.chosen[a]]++;
        s.order[a] = static_cast<int32_t>(at);
        s.sorted_token[at] = static_cast<int32_t>(a / K);
      }
    }
    sync();
    const size_t xrow = cpu::act_row_bytes(xt, E);
    for (const Span g = share(n * K, members, m); int64_t i : std::views::iota(g.begin, g.end))
      std::memcpy(s.gathered.data() + i * xrow, s.act[1].data() + s.sorted_token[i] * xrow, xrow);
    sync();
    std::vector<Product> up_products;
    for (int64_t e = 0; e < X; ++e) {
      const int64_t first = s.expert_first[e], count = s.expert_first[e + 1] - first;
      if (count == 0) continue;
      const Expert& x = L.experts[e];
      up_products.push_back({&x.gate, s.gathered.data() + first * xrow, xrow, count, s.hg.data() + first * F, F});
      up_products.push_back({&x.up, s.gathered.data() + first * xrow, xrow, count, s.hu.data() + first * F, F});
    }
    matmuls(up_products);
    sync();
    // Biases and SwiGLU-OAI on each assignment's row, quantised for the down projections.
    const GgmlType dt = L.experts.front().down.type;
    const size_t hrow = cpu::act_row_bytes(dt, F);
    for (const Span g = share(n * K, members, m); int64_t i : std::views::iota(g.begin, g.end)) {
      int64_t e = 0;
      while (s.expert_first[e + 1] <= i) ++e;
      float* gate = s.hg.data() + i * F;
      const float* up = s.hu.data() + i * F;
      swiglu_oai_biased(gate, L.gate_bias.data() + e * F, up, L.up_bias.data() + e * F, F, gate);
      cpu::quantize_act_row(dt, gate, F, s.gathered.data() + i * hrow);
    }
    sync();
    std::vector<Product> down_products;
    for (int64_t e = 0; e < X; ++e) {
      const int64_t first = s.expert_first[e], count = s.expert_first[e + 1] - first;
      if (count == 0) continue;
      down_products.push_back({&L.experts[e].down, s.gathered.data() + first * hrow, hrow, count, s.dn.data() + first * E, E});
    }
    matmuls(down_products);
    sync();
    // Each token's weighted sum of its experts' outputs (with their biases): the next residual add.
    for (int64_t t = pe.t0; t < pe.t1; ++t)
      for (int64_t i = pe.c0; i < pe.c1; ++i) {
        float sum = 0;
        for (int64_t j = 0; j < K; ++j) {
          const int64_t a = t * K + j, e = s.chosen[a];
          sum += s.weight[a] * (s.dn[s.order[a] * E + i] + L.down_bias[e * E + i]);
        }
        s.tmp[t * E + i] = sum;
      }
    sync();
  }
  const Part last = part(E, n - 1, 1);
  res.add_norm(s.tmp.data(), output_norm_, last);
  quantize(output_.type, s.xn.data() + (n - 1) * E, E, {0, 1, last.c0, last.c1}, s.act[0].data());
  sync();
  matmul_list({{&output_, s.act[0].data(), cpu::act_row_bytes(output_.type, E), 1, s.logits.data(), c.n_vocab}});
}

std::string GptOssEngine::verify_kernels(const std::vector<ForwardCall>& calls, uint64_t seed) const {
  // The matmul steps as run_member runs them: Q, K and V on one counter, the attention output, the
  // router; then the experts' gate and up projections, and their down projections, n_expert_used
  // experts to a step as a token's are (every expert in some step); the output projection last.
  const ModelConfig& c = config_;
  KernelCheckPlan plan{attention_, c.head_dim, c.n_head * c.head_dim};
  for (int64_t l = 0; l < c.n_layer; ++l) {
    const Layer& L = layers_[l];
    auto name = [l](const std::string& n) { return fmt::format("blk.{}.{}", l, n); };
    plan.steps.push_back({{name("attn_q"), &L.wq}, {name("attn_k"), &L.wk}, {name("attn_v"), &L.wv}});
    plan.steps.push_back({{name("attn_output"), &L.wo}});
    plan.steps.push_back({{name("ffn_gate_inp"), &L.router}});
    for (int64_t e0 = 0; e0 < c.moe.n_expert; e0 += c.moe.n_expert_used) {
      CheckedStep up, down;
      for (int64_t e = e0; e < std::min(c.moe.n_expert, e0 + c.moe.n_expert_used); ++e) {
        const Expert& x = L.experts[e];
        up.push_back({name(fmt::format("ffn_gate_exps[{}]", e)), &x.gate});
        up.push_back({name(fmt::format("ffn_up_exps[{}]", e)), &x.up});
        down.push_back({name(fmt::format("ffn_down_exps[{}]", e)), &x.down});
      }
      plan.steps.push_back(std::move(up));
      plan.steps.push_back(std::move(down));
    }
  }
  plan.output = {{"output", &output_}};
  plan.caches.push_back({capacity_});
  if (c.sliding_window > 0) plan.caches.push_back({window_slots_, c.sliding_window});
  return check_kernels(plan, calls, team_, seed);
}

}  // namespace specgap::llm
