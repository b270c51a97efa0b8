#include "llm/engine.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <atomic>
#include <set>
#include <utility>

#include "backends/cpu/half.h"
#include "backends/cpu/quant_reference.h"
#include "core/error.h"
#include "llm/engine_steps.h"
#include "llm/gpt_oss_engine.h"
#include "llm/row_chunks.h"
#include "llm/spin_barrier.h"
#include "llm/vector_ops.h"

namespace specgap::llm {
namespace {
// The matrices of one layer, named as GGUF names them, with their (cols, rows).
struct MatrixName {
  const char* name;
  int64_t cols, rows;
};
std::vector<MatrixName> layer_matrices(const ModelConfig& c) {
  const int64_t q = c.n_head * c.head_dim, kv = c.n_head_kv * c.head_dim;
  return {{"attn_q", c.n_embd, q},      {"attn_k", c.n_embd, kv},   {"attn_v", c.n_embd, kv},
          {"attn_output", q, c.n_embd}, {"ffn_gate", c.n_embd, c.n_ff}, {"ffn_up", c.n_embd, c.n_ff},
          {"ffn_down", c.n_ff, c.n_embd}};
}

std::string layer_tensor(int64_t layer, const char* name) {
  return "blk." + std::to_string(layer) + "." + name + ".weight";
}

uint64_t kv_cache_bytes(const ModelConfig& c, int64_t capacity) {
  return static_cast<uint64_t>(c.kv_elements_per_token()) * static_cast<uint64_t>(capacity) * sizeof(KvHalf);
}

// K and V of every layer: a window layer holds window_capacity() positions, the others the context.
uint64_t kv_cache_bytes(const ModelConfig& c, const EngineOptions& o) {
  uint64_t slots = 0;
  for (int64_t l = 0; l < c.n_layer; ++l) slots += static_cast<uint64_t>(cache_slots(c, o, l));
  return 2 * static_cast<uint64_t>(c.n_head_kv * c.head_dim) * slots * sizeof(KvHalf);
}
}  // namespace

struct LlamaEngine::Scratch {
  Scratch(const ModelConfig& c, int64_t batch, int64_t capacity, size_t members)
      : batch(batch), barrier(members) {
    const int64_t q = c.n_head * c.head_dim, kv = c.n_head_kv * c.head_dim;
    x.resize(batch * c.n_embd);
    x_next.resize(batch * c.n_embd);
    xn.resize(batch * c.n_embd);
    qb.resize(batch * q);
    kb.resize(batch * kv);
    vb.resize(batch * kv);
    attn.resize(batch * q);
    tmp.resize(batch * c.n_embd);
    gate.resize(batch * c.n_ff);
    up.resize(batch * c.n_ff);
    logits.resize(c.n_vocab);
    const int64_t widest = std::max({c.n_embd, c.n_ff, q});
    for (auto& a : act) a.resize(static_cast<size_t>(batch) * widest * sizeof(float));
    rope_cos.resize(batch * c.n_rot / 2);
    rope_sin.resize(batch * c.n_rot / 2);
    scores.resize(members, std::vector<float>(cpu::kAttnTile * capacity));
    steps = static_cast<size_t>(4 * c.n_layer + 1);
    next_group = std::make_unique<std::atomic<int64_t>[]>(steps);
  }
  int64_t batch;
  std::vector<float> x, x_next, xn, qb, kb, vb, attn, tmp, gate, up, logits, rope_cos, rope_sin;
  std::vector<std::byte> act[3];  // quantised activations, one per distinct weight type of a step
  std::vector<std::vector<float>> scores;
  SpinBarrier barrier;
  // One work counter per matmul step of a call (4 per layer, and the output), handed out in chunks.
  std::unique_ptr<std::atomic<int64_t>[]> next_group;
  size_t steps = 0;
};

EngineFootprint engine_footprint(const TensorSource& source, const EngineOptions& o) {
  const ModelConfig& c = source.config();
  EngineFootprint f;
  auto add = [&](const std::string& name, int64_t cols, int64_t rows) {
    if (const auto s = source.spec(name); s && cpu::has_matmul(s->type) && cols > 0)
      f.weights += round_up(cpu::packed_bytes(s->type, rows, cols), 64);
  };
  if (c.arch == Architecture::gpt_oss) {
    // Every matrix the file holds, an expert tensor's experts packed one after another.
    for (const auto& spec : gpt_oss_tensor_specs(c)) {
      if (spec.dims.size() < 2 || spec.name == "token_embd.weight") continue;
      const auto s = source.spec(spec.name);
      if (!s || s->dims.size() < 2) continue;
      uint64_t rows = 1;
      for (size_t i = 1; i < s->dims.size(); ++i) rows *= s->dims[i];
      add(spec.name, static_cast<int64_t>(s->dims[0]), static_cast<int64_t>(rows));
    }
  } else {
    for (int64_t l = 0; l < c.n_layer; ++l)
      for (const auto& m : layer_matrices(c)) add(layer_tensor(l, m.name), m.cols, m.rows);
    add(c.tied_output ? "token_embd.weight" : "output.weight", c.n_embd, c.n_vocab);
  }
  if (const auto s = source.spec("token_embd.weight")) f.embedding = s->bytes();
  f.kv_cache = kv_cache_bytes(c, o);
  const int64_t widest = std::max({c.n_embd, c.n_ff, c.n_head * c.head_dim, c.moe.n_ff_exp * c.moe.n_expert_used});
  f.activations = static_cast<uint64_t>(o.max_batch) * widest * sizeof(float) * 13 + c.n_vocab * sizeof(float);
  return f;
}

std::vector<std::string> kernel_isas() {
  std::vector<std::string> out;
  for (GgmlType t : {GgmlType::q4_0, GgmlType::q8_0, GgmlType::mxfp4})
    for (const auto& k : cpu::simd_matmuls(t))
      if (std::find(out.begin(), out.end(), k.isa) == out.end()) out.push_back(k.isa);
  out.push_back("generic");
  return out;
}

void use_kernels(EngineOptions& o, const std::string& isa) {
  o.matmul = [isa](GgmlType t) {
    for (const auto& k : cpu::simd_matmuls(t))
      if (k.isa == isa) return k;
    return cpu::generic_matmul(t);
  };
  o.attention = [isa] {
    for (const auto& a : cpu::simd_attentions())
      if (isa.rfind(a.isa, 0) == 0) return a;
    return cpu::generic_attention();
  };
}

std::unique_ptr<Engine> make_engine(TensorSource& source, cpu::ThreadTeam& team, EngineOptions options) {
  if (source.config().arch == Architecture::gpt_oss) return std::make_unique<GptOssEngine>(source, team, std::move(options));
  return std::make_unique<LlamaEngine>(source, team, std::move(options));
}

LlamaEngine::LlamaEngine(TensorSource& source, cpu::ThreadTeam& team, EngineOptions options)
    : config_(source.config()), options_(options), team_(team) {
  validate(config_);
  if (config_.arch != Architecture::llama) throw Error("engine: " + source.description() + " is not llama");
  const ModelConfig& c = config_;
  if (options_.context < 1 || options_.max_batch < 1) throw Error("engine: context and batch must be positive");
  if (c.head_dim % 16 != 0) throw Error("engine: head_dim " + std::to_string(c.head_dim) + " is not a multiple of 16");
  layers_.resize(c.n_layer);
  for (int64_t l = 0; l < c.n_layer; ++l) {
    Layer& L = layers_[l];
    L.attn_norm = read_vector(source, layer_tensor(l, "attn_norm"), c.n_embd);
    L.ffn_norm = read_vector(source, layer_tensor(l, "ffn_norm"), c.n_embd);
    const auto m = layer_matrices(c);
    PackedWeight* dst[] = {&L.wq, &L.wk, &L.wv, &L.wo, &L.gate, &L.up, &L.down};
    for (size_t i = 0; i < m.size(); ++i)
      *dst[i] = pack_matrices(source, team_, layer_tensor(l, m[i].name), m[i].cols, m[i].rows, 1, options_.matmul, storage_)[0];
  }
  output_norm_ = read_vector(source, "output_norm.weight", c.n_embd);
  output_ = pack_matrices(source, team_, c.tied_output ? "token_embd.weight" : "output.weight", c.n_embd, c.n_vocab, 1,
                          options_.matmul, storage_)[0];

  embedding_ = EmbeddingTable(source, c.n_embd, c.n_vocab, storage_);

  rope_factors_ = source.spec("rope_freqs.weight")
                      ? read_vector(source, "rope_freqs.weight", c.n_rot / 2)
                      : std::vector<float>(c.n_rot / 2, 1.0f);

  capacity_ = padded_capacity(options_.context);
  attention_ = options_.attention();
  const uint64_t kv = kv_cache_bytes(c, capacity_) / 2;
  storage_.emplace_back(kv);
  k_cache_ = storage_.back().as<KvHalf>();
  storage_.emplace_back(kv);
  v_cache_ = storage_.back().as<KvHalf>();
  // Unwritten cache positions past the context are read (never used) by the 16-wide kernels: zero
  // them, so they hold numbers.
  std::memset(k_cache_, 0, kv);
  std::memset(v_cache_, 0, kv);
  scratch_ = std::make_unique<Scratch>(c, options_.max_batch, capacity_, team_.size());
}

LlamaEngine::~LlamaEngine() = default;

uint64_t LlamaEngine::weight_bytes_per_token() const {
  uint64_t total = output_.bytes;
  for (const auto& L : layers_) total += L.wq.bytes + L.wk.bytes + L.wv.bytes + L.wo.bytes + L.gate.bytes + L.up.bytes + L.down.bytes;
  return total + embedding_.row_bytes();
}

uint64_t LlamaEngine::kv_bytes(int64_t positions) const {
  return static_cast<uint64_t>(config_.kv_elements_per_token()) * static_cast<uint64_t>(positions) * sizeof(KvHalf);
}

double LlamaEngine::layer_flops_per_token() const {
  double macs = 0;
  for (const auto& L : layers_)
    for (const PackedWeight* w : {&L.wq, &L.wk, &L.wv, &L.wo, &L.gate, &L.up, &L.down})
      macs += static_cast<double>(w->rows) * static_cast<double>(w->cols);
  return 2 * macs;
}

double LlamaEngine::output_flops() const { return 2.0 * static_cast<double>(output_.rows) * static_cast<double>(output_.cols); }

std::string LlamaEngine::kernels() const {
  std::set<std::string> seen;
  auto note = [&](const PackedWeight& w) { seen.insert(std::string(to_string(w.type)) + " " + w.kernel.isa); };
  for (const auto& L : layers_)
    for (const PackedWeight* w : {&L.wq, &L.wk, &L.wv, &L.wo, &L.gate, &L.up, &L.down}) note(*w);
  note(output_);
  std::string out;
  for (const auto& s : seen) out += (out.empty() ? "" : ", ") + s;
  return out;
}

const float* LlamaEngine::forward(const int32_t* tokens, int64_t n) {
  check_call(tokens, n, position_, options_, config_.n_vocab);
  team_.run([&](size_t m) { run_member(m, tokens, n); });
  position_ += n;
  return scratch_->logits.data();
}

void LlamaEngine::run_member(size_t m, const int32_t* tokens, int64_t n) {
  const ModelConfig& c = config_;
  Scratch& s = *scratch_;
  const size_t members = team_.size();
  const int64_t E = c.n_embd, D = c.head_dim, H = c.n_head, Hkv = c.n_head_kv, F = c.n_ff, Q = H * D, KV = Hkv * D;
  const int64_t half_rot = c.n_rot / 2, cap = capacity_, pos0 = position_;
  const Span mine = share(n, members, m);
  auto sync = [&] { s.barrier.wait(); };

  auto part = [&](int64_t width, int64_t first, int64_t tokens) { return member_part(width, first, tokens, members, m); };
  // Quantises the part p of `x` (rows of width cols) for each weight, one buffer per distinct type,
  // and returns which buffer each weight reads.
  auto quantize_for = [&](const float* x, int64_t cols, const Part& p, std::initializer_list<const PackedWeight*> ws,
                          int* which) {
    GgmlType types[3];
    int distinct = 0, i = 0;
    for (const PackedWeight* w : ws) {
      int slot = 0;
      while (slot < distinct && types[slot] != w->type) ++slot;
      if (slot == distinct) {
        types[distinct++] = w->type;
        const size_t stride = cpu::act_row_bytes(w->type, cols), skip = cpu::act_row_bytes(w->type, p.c0);
        for (int64_t t = p.t0; t < p.t1; ++t)
          cpu::quantize_act_row(w->type, x + t * cols + p.c0, p.c1 - p.c0, s.act[slot].data() + t * stride + skip);
      }
      which[i++] = slot;
    }
  };
  Residual res(s.x.data(), s.x_next.data(), s.xn.data(), E, c.rms_eps);
  // The matmuls of one step, each reading the activation buffer its weight type was quantised into.
  struct Matmul {
    const PackedWeight* w;
    int slot;
    float* out;
  };
  size_t step = 0;
  auto matmuls = [&](std::initializer_list<Matmul> ms, int64_t tokens_n) {
    Product ps[3];
    size_t i = 0;
    for (const auto& x : ms)
      ps[i++] = {x.w, s.act[x.slot].data(), cpu::act_row_bytes(x.w->type, x.w->cols), tokens_n, x.out, x.w->rows};
    run_products({ps, i}, s.next_group[step++], members);
  };

  // The step counters start at zero for every call; the first barrier publishes this.
  if (m == 0)
    for (size_t i = 0; i < s.steps; ++i) s.next_group[i].store(0, std::memory_order_relaxed);
  // Embeddings, and the rotation angles of this call's positions.
  for (int64_t t = mine.begin; t < mine.end; ++t) {
    embedding_.row(tokens[t], res.x() + t * E);
    const double pos = static_cast<double>(pos0 + t);
    for (int64_t i = 0; i < half_rot; ++i) {
      const double theta = pos * std::pow(c.rope_theta, -2.0 * i / c.n_rot) / rope_factors_[i];
      s.rope_cos[t * half_rot + i] = static_cast<float>(std::cos(theta));
      s.rope_sin[t * half_rot + i] = static_cast<float>(std::sin(theta));
    }
  }
  sync();  // a one-token call's row is read by every member in the first norm
  auto rope = [&](float* v, Span heads, int64_t t) {
    const float* cs = s.rope_cos.data() + t * half_rot;
    const float* sn = s.rope_sin.data() + t * half_rot;
    for (int64_t h = heads.begin; h < heads.end; ++h) {
      float* x = v + h * D;
      for (int64_t i = 0; i < half_rot; ++i) {  // NORM layout: adjacent pairs
        const float a = x[2 * i], b = x[2 * i + 1];
        x[2 * i] = a * cs[i] - b * sn[i];
        x[2 * i + 1] = a * sn[i] + b * cs[i];
      }
    }
  };

  for (int64_t l = 0; l < c.n_layer; ++l) {
    const Layer& L = layers_[l];
    KvHalf* k_layer = k_cache_ + l * Hkv * D * cap;
    KvHalf* v_layer = v_cache_ + l * Hkv * cap * D;
    int slot[3];
    const Part pe = part(E, 0, n);
    res.add_norm(l > 0 ? s.tmp.data() : nullptr, L.attn_norm, pe);  // with the previous FFN's output
    quantize_for(s.xn.data(), E, pe, {&L.wq, &L.wk, &L.wv}, slot);
    sync();
    matmuls({{&L.wq, slot[0], s.qb.data()}, {&L.wk, slot[1], s.kb.data()}, {&L.wv, slot[2], s.vb.data()}}, n);
    sync();
    // Rotation and the cache's new entries by heads, so that one token is shared out too.
    const Span heads = share(H, members, m), kv_heads = share(Hkv, members, m);
    for (int64_t t = 0; t < n; ++t) {
      rope(s.qb.data() + t * Q, heads, t);
      rope(s.kb.data() + t * KV, kv_heads, t);
      const int64_t pos = pos0 + t;
      for (int64_t h = kv_heads.begin; h < kv_heads.end; ++h)
        for (int64_t d = 0; d < D; ++d) {
          k_layer[(h * D + d) * cap + pos] = cpu::float_to_fp16(s.kb[t * KV + h * D + d]);
          v_layer[(h * cap + pos) * D + d] = cpu::float_to_fp16(s.vb[t * KV + h * D + d]);
        }
    }
    sync();
    for (int64_t h = heads.begin; h < heads.end; ++h) {
      const int64_t kvh = h / (H / Hkv);
      attend(attention_, {s.qb.data() + h * D, Q, n, pos0, k_layer + kvh * D * cap, v_layer + kvh * cap * D, cap, D,
              1.0f / std::sqrt(static_cast<float>(D)), s.attn.data() + h * D, Q, s.scores[m].data()});
    }
    sync();
    quantize_for(s.attn.data(), Q, part(Q, 0, n), {&L.wo}, slot);
    sync();
    matmuls({{&L.wo, slot[0], s.tmp.data()}}, n);
    sync();
    res.add_norm(s.tmp.data(), L.ffn_norm, pe);
    quantize_for(s.xn.data(), E, pe, {&L.gate, &L.up}, slot);
    sync();
    matmuls({{&L.gate, slot[0], s.gate.data()}, {&L.up, slot[1], s.up.data()}}, n);
    sync();
    const Part pf = part(F, 0, n);
    for (int64_t t = pf.t0; t < pf.t1; ++t)
      silu_mul(s.gate.data() + t * F + pf.c0, s.up.data() + t * F + pf.c0, pf.c1 - pf.c0, s.gate.data() + t * F + pf.c0);
    quantize_for(s.gate.data(), F, pf, {&L.down}, slot);
    sync();
    matmuls({{&L.down, slot[0], s.tmp.data()}}, n);
    sync();
  }
  // Only the last token's logits are computed, as llama.cpp does for a prompt; its activations are
  // quantised as row 0.
  const Part last = part(E, n - 1, 1);
  res.add_norm(s.tmp.data(), output_norm_, last);
  int slot[3];
  const float* xn_last = s.xn.data() + (n - 1) * E;
  quantize_for(xn_last, E, {0, 1, last.c0, last.c1}, {&output_}, slot);
  sync();
  matmuls({{&output_, slot[0], s.logits.data()}}, 1);
}

}  // namespace specgap::llm
