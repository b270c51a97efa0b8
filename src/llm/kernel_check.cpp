// check_kernels: check, then time. Before any timed call, every kernel configuration the timed calls
// will run is compared with the portable kernels, on the model's own packed rows, in the engine's
// layout and on its thread team (member m takes every size()-th sample):
// - matmul with one token (decode, and the output projection of every call): the ranges of row groups
//   the engine's work counter cuts (row_chunks.h), so that the SIMD kernels' address streams over a
//   range, and the groups left over, run as they will. Every matrix: its first, a middle and its last
//   range; in the first, a group in each eighth (every stream) and its ends; in the others, the ends
//   and one at random.
// - matmul with several tokens (prefill): each call width the runs use, so that every tile width the
//   kernels take (8, 4, 2 and the narrower last tile of a call) runs as it will. One matrix of each
//   kind (type, shape, kernel), chosen at random among the layers: the first groups of one of its
//   ranges and its last group, for the first and last kEdgeTokens tokens and a few at random.
// - attention: scores and weighted values of the first, the last and a random tile of the prompt
//   calls, and of lone queries at the first, the last and random decode positions, over each cache
//   layout the engine has (its slots and head size; a window cache's tiles start where the window
//   of their first query does, 16-aligned, as attend() starts them).
// - the activation quantisers against the portable loop, on the activations used above.
// Tolerances: exact for quantised weights and for the quantisers (integer sums, then the same float
// steps in the same order); |got - want| <= 1e-4 (1 + |want|) for float weights and attention, whose
// sums run in another order. A sample costs a portable dot product per row, so the samples are few:
// about 0.1 s on two cores for a 1B model.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <tuple>

#include "backends/cpu/half.h"
#include "llm/kernel_check.h"
#include "llm/row_chunks.h"

namespace specgap::llm {
namespace {
constexpr size_t kNamed = 3;         // mismatches the error line names
constexpr int64_t kPoolRows = 67;    // distinct activation rows: prime, so tokens of a call up to 67 apart differ
constexpr int64_t kEdgeTokens = 8;   // the widest tile any kernel takes
constexpr int64_t kRandomTokens = 4;
constexpr int64_t kPrefillGroups = 2;
constexpr float kTolerance = 1e-4f;  // for sums in another order

bool agrees(bool exact, float got, float want) {
  return exact ? got == want : std::fabs(got - want) <= kTolerance * (1 + std::fabs(want));
}

int64_t groups_of(const PackedWeight& w) { return (w.rows + cpu::kPackRows - 1) / cpu::kPackRows; }

using Matrix = CheckedMatrix;
using Step = CheckedStep;

// A range of one matrix's groups that the engine runs as one kernel call.
struct Piece {
  int64_t g0, g1;
};

// The ranges of each matrix of a step, as the engine's matmuls cut them for a team of `members` and
// a call of `tokens` tokens.
std::vector<std::vector<Piece>> pieces_of(const Step& step, size_t members, int64_t tokens) {
  const int64_t shares = chunk_shares(members, tokens, small_decode_chunks());
  int64_t total = 0;
  for (const auto& m : step) total += groups_of(*m.w);
  std::vector<std::vector<Piece>> out(step.size());
  for (int64_t start = 0; start < total;) {
    const int64_t end = chunk_end(start, total, shares);
    int64_t offset = 0;
    for (size_t i = 0; i < step.size(); ++i) {
      const int64_t n = groups_of(*step[i].w);
      const int64_t g0 = std::max(start, offset) - offset, g1 = std::min(end, offset + n) - offset;
      if (g0 < g1) out[i].push_back({g0, g1});
      offset += n;
    }
    start = end;
  }
  return out;
}

// One kernel call to check: the range it runs, and the groups and tokens compared.
struct MatmulSample {
  Piece range;
  std::vector<int64_t> groups, tokens;
};

// One attention tile: nq queries, the last of which sees slots up to `count`, read from slot `first`.
struct AttentionSample {
  int nq;
  int64_t count;
  int64_t first = 0;
  bool operator<(const AttentionSample& o) const { return std::tie(nq, count, first) < std::tie(o.nq, o.count, o.first); }
};

class Checker {
 public:
  Checker(cpu::ThreadTeam& team, uint64_t seed) : team_(team), rng_(seed), named_(team.size()), found_(team.size()) {}

  int64_t random(int64_t below) { return static_cast<int64_t>(rng_() % static_cast<uint64_t>(below)); }
  bool failed() const { return failed_; }

  // The activations of `tokens` tokens for matrices of type t with `cols` columns (token i is pool row
  // i % kPoolRows), quantised by the kernels' quantiser, which is checked against the portable loop.
  const std::vector<std::byte>& activations(GgmlType t, int64_t cols, int64_t tokens) {
    auto& a = acts_[{t, cols}];
    if (a.empty()) {
      std::normal_distribution<float> normal(0, 1);
      std::vector<float> x(kPoolRows * cols);
      for (auto& v : x) v = normal(rng_);
      const size_t stride = cpu::act_row_bytes(t, cols);
      std::vector<std::byte> pool(kPoolRows * stride), portable(kPoolRows * stride);
      team_.run([&](size_t m) {
        for (int64_t r = static_cast<int64_t>(m); r < kPoolRows; r += static_cast<int64_t>(team_.size())) {
          cpu::quantize_act_row(t, x.data() + r * cols, cols, pool.data() + r * stride);
          cpu::quantize_act_row_portable(t, x.data() + r * cols, cols, portable.data() + r * stride);
          for (size_t b = 0; b < stride; ++b)
            if (pool[r * stride + b] != portable[r * stride + b]) {
              note(m, [&] {
                return fmt::format("activation quantiser ({}, {} columns) row {} byte {}: {:#04x}, the portable loop {:#04x}",
                                   to_string(t), cols, r, b, static_cast<unsigned>(pool[r * stride + b]),
                                   static_cast<unsigned>(portable[r * stride + b]));
              });
              break;
            }
        }
      });
      collect();
      a = std::move(pool);
    }
    const size_t stride = cpu::act_row_bytes(t, cols);
    if (static_cast<int64_t>(a.size() / stride) < tokens) {
      const size_t had = a.size() / stride;
      a.resize(tokens * stride);
      for (size_t r = had; r < static_cast<size_t>(tokens); ++r)
        std::memcpy(a.data() + r * stride, a.data() + (r % kPoolRows) * stride, stride);
    }
    return a;
  }

  // Runs each sample's range through w's kernel for `tokens` tokens, as the engine does (out_stride =
  // rows), and compares the sampled rows with the portable kernel, one token at a time.
  void matmul(const Matrix& m, int64_t tokens, const std::vector<MatmulSample>& samples) {
    const PackedWeight& w = *m.w;
    const auto& act = activations(w.type, w.cols, tokens);
    const size_t stride = cpu::act_row_bytes(w.type, w.cols);
    const cpu::MatmulKernel ref = cpu::generic_matmul(w.type);
    const bool exact = traits(w.type).block_elems > 1;
    if (out_size_ < static_cast<size_t>(tokens * w.rows)) {
      out_size_ = static_cast<size_t>(tokens * w.rows);
      out_ = std::make_unique_for_overwrite<float[]>(out_size_);
    }
    if (ref_.empty() || ref_[0].size() < static_cast<size_t>(w.rows)) ref_.assign(team_.size(), std::vector<float>(w.rows));
    float* out = out_.get();
    team_.run([&](size_t member) {
      float* want = ref_[member].data();
      for (size_t i = member; i < samples.size(); i += team_.size()) {
        const MatmulSample& s = samples[i];
        w.kernel.fn(w.data, w.rows, w.cols, s.range.g0, s.range.g1, act.data(), stride, tokens, out, w.rows);
        for (int64_t g : s.groups)
          for (int64_t t : s.tokens) {
            ref.fn(w.data, w.rows, w.cols, g, g + 1, act.data() + t * stride, stride, 1, want, w.rows);
            for (int64_t r = g * cpu::kPackRows; r < std::min(w.rows, (g + 1) * cpu::kPackRows); ++r)
              if (!agrees(exact, out[t * w.rows + r], want[r]))
                note(member, [&] {
                  return fmt::format("{} ({}, {}) at {} token{}, groups {}-{}: row {} token {} gave {:.9g}, the portable "
                                     "kernel {:.9g}",
                                     m.name, to_string(w.type), w.kernel.isa, tokens, tokens == 1 ? "" : "s",
                                     s.range.g0, s.range.g1 - 1, r, t, out[t * w.rows + r], want[r]);
                });
          }
      }
    });
    collect();
  }

  // Each sample's scores and weighted values through `k` and the portable loops, on random queries,
  // keys, values and probabilities laid out as the engine lays them out.
  void attention(const cpu::AttentionKernels& k, int64_t head_dim, int64_t q_stride, int64_t capacity,
                 const std::set<AttentionSample>& samples) {
    std::normal_distribution<float> normal(0, 1);
    std::vector<float> q(cpu::kAttnTile * q_stride), p(cpu::kAttnTile * capacity);
    std::vector<uint16_t> k_t(head_dim * capacity), v(capacity * head_dim);
    for (auto& x : q) x = normal(rng_);
    for (auto& x : p) x = std::fabs(normal(rng_)) / 10;
    for (auto& h : k_t) h = cpu::float_to_fp16(normal(rng_));
    for (auto& h : v) h = cpu::float_to_fp16(normal(rng_));
    const std::vector<AttentionSample> list(samples.begin(), samples.end());
    const cpu::AttentionKernels ref = cpu::generic_attention();
    const float scale = 1.0f / std::sqrt(static_cast<float>(head_dim));
    team_.run([&](size_t member) {
      std::vector<float> s1(cpu::kAttnTile * capacity), s2(s1.size()), o1(cpu::kAttnTile * q_stride), o2(o1.size());
      for (size_t i = member; i < list.size(); i += team_.size()) {
        const auto [nq, last, first] = list[i];
        const int64_t count = last - first;
        const uint16_t *keys = k_t.data() + first, *values = v.data() + first * head_dim;
        k.scores(q.data(), q_stride, nq, keys, capacity, head_dim, count, scale, s1.data(), capacity);
        ref.scores(q.data(), q_stride, nq, keys, capacity, head_dim, count, scale, s2.data(), capacity);
        k.values(p.data(), capacity, nq, values, head_dim, count, o1.data(), q_stride);
        ref.values(p.data(), capacity, nq, values, head_dim, count, o2.data(), q_stride);
        for (int qi = 0; qi < nq; ++qi) {
          for (int64_t j = 0; j < count; ++j)
            if (!agrees(false, s1[qi * capacity + j], s2[qi * capacity + j]))
              note(member, [&] {
                return fmt::format("attention scores ({}) of {} quer{} over {} positions from slot {} of {}: query {} "
                                   "position {} gave {:.9g}, the portable loop {:.9g}",
                                   k.isa, nq, nq == 1 ? "y" : "ies", count, first, capacity, qi, j, s1[qi * capacity + j],
                                   s2[qi * capacity + j]);
              });
          for (int64_t d = 0; d < head_dim; ++d)
            if (!agrees(false, o1[qi * q_stride + d], o2[qi * q_stride + d]))
              note(member, [&] {
                return fmt::format("attention values ({}) of {} quer{} over {} positions from slot {} of {}: query {} "
                                   "dim {} gave {:.9g}, the portable loop {:.9g}",
                                   k.isa, nq, nq == 1 ? "y" : "ies", count, first, capacity, qi, d, o1[qi * q_stride + d],
                                   o2[qi * q_stride + d]);
              });
        }
      }
    });
    collect();
  }

  // "" or the first mismatches, in sample order, and how many more there were.
  std::string verdict() const {
    std::string out;
    for (size_t i = 0; i < std::min(kNamed, named_all_.size()); ++i) out += (i ? "; " : "") + named_all_[i];
    if (found_all_ > kNamed) out += fmt::format(" (and {} more)", found_all_ - kNamed);
    return out;
  }

 private:
  // Called by member m inside a team job: words the first few of its mismatches, counts the rest.
  template <class Describe>
  void note(size_t m, const Describe& describe) {
    if (named_[m].size() < kNamed) named_[m].push_back(describe());
    ++found_[m];
  }
  // After a team job: each member's mismatches, in member order.
  void collect() {
    for (size_t m = 0; m < team_.size(); ++m) {
      for (auto& s : named_[m]) named_all_.push_back(std::move(s));
      named_[m].clear();
      found_all_ += found_[m];
      found_[m] = 0;
    }
    failed_ = found_all_ > 0;
  }

  cpu::ThreadTeam& team_;
  std::mt19937_64 rng_;
  std::map<std::pair<GgmlType, int64_t>, std::vector<std::byte>> acts_;
  std::unique_ptr<float[]> out_;  // the kernel's output, [tokens][rows] as the engine's buffers
  size_t out_size_ = 0;
  std::vector<std::vector<float>> ref_;  // each member's portable output for one token
  std::vector<std::vector<std::string>> named_;
  std::vector<size_t> found_;
  std::vector<std::string> named_all_;
  size_t found_all_ = 0;
  bool failed_ = false;
};

// The ends of a piece and one group at random between them; with `spread`, also a group in each
// eighth of it, so that each of a decode kernel's address streams over the range is compared.
std::vector<int64_t> groups_to_compare(const Piece& p, bool spread, Checker& c) {
  std::set<int64_t> g = {p.g0, p.g1 - 1, p.g0 + c.random(p.g1 - p.g0)};
  if (spread)
    for (int64_t k = 0; k < 8; ++k) g.insert(p.g0 + (2 * k + 1) * (p.g1 - p.g0) / 16);
  return {g.begin(), g.end()};
}

// The first and last kEdgeTokens tokens of a call (so its first and last tiles whole, whatever their
// width) and a few at random.
std::vector<int64_t> tokens_to_compare(int64_t n, Checker& c) {
  std::set<int64_t> t;
  for (int64_t i = 0; i < std::min(n, kEdgeTokens); ++i) t.insert(i), t.insert(n - 1 - i);
  for (int64_t i = 0; i < kRandomTokens; ++i) t.insert(c.random(n));
  return {t.begin(), t.end()};
}

// Decode: the first, a middle and the last of the matrix's ranges.
std::vector<MatmulSample> decode_samples(const std::vector<Piece>& pieces, Checker& c) {
  std::vector<MatmulSample> out;
  std::set<size_t> picked = {0, pieces.size() - 1, static_cast<size_t>(c.random(static_cast<int64_t>(pieces.size())))};
  for (size_t i : picked) out.push_back({pieces[i], groups_to_compare(pieces[i], i == 0, c), {0}});
  return out;
}

// Prefill: the first groups of one of the matrix's ranges, and its last group (a partial one where
// the rows are not a whole number of groups).
std::vector<MatmulSample> prefill_samples(const std::vector<Piece>& pieces, int64_t tokens, Checker& c) {
  const Piece any = pieces[static_cast<size_t>(c.random(static_cast<int64_t>(pieces.size())))];
  const Piece first = {any.g0, std::min(any.g1, any.g0 + kPrefillGroups)};
  const Piece last = {pieces.back().g1 - 1, pieces.back().g1};
  std::vector<int64_t> groups;
  for (int64_t g = first.g0; g < first.g1; ++g) groups.push_back(g);
  std::vector<MatmulSample> out = {{first, groups, tokens_to_compare(tokens, c)}};
  if (last.g0 >= first.g1) out.push_back({last, {last.g0}, tokens_to_compare(tokens, c)});
  return out;
}

// The tiles the calls run attention on: the first, last and a random tile of the first, last and a
// random prompt call; lone queries at the first, last and random decode positions.
std::set<AttentionSample> attention_samples(const std::vector<ForwardCall>& calls, Checker& c) {
  std::vector<ForwardCall> prompts, decodes;
  for (const auto& call : calls) (call.tokens > 1 ? prompts : decodes).push_back(call);
  auto by_position = [](const ForwardCall& a, const ForwardCall& b) { return std::tie(a.first, a.tokens) < std::tie(b.first, b.tokens); };
  std::sort(prompts.begin(), prompts.end(), by_position);
  std::sort(decodes.begin(), decodes.end(), by_position);
  std::set<AttentionSample> out;
  auto pick = [&](const std::vector<ForwardCall>& v) {
    std::vector<ForwardCall> picked;
    if (!v.empty()) picked = {v.front(), v.back(), v[static_cast<size_t>(c.random(static_cast<int64_t>(v.size())))]};
    return picked;
  };
  for (const auto& call : pick(prompts)) {
    const int64_t tiles = (call.tokens + cpu::kAttnTile - 1) / cpu::kAttnTile;
    for (int64_t tile : {int64_t{0}, tiles - 1, c.random(tiles)}) {
      const int64_t i0 = tile * cpu::kAttnTile;
      const int nq = static_cast<int>(std::min<int64_t>(cpu::kAttnTile, call.tokens - i0));
      out.insert({nq, call.first + i0 + nq});
    }
  }
  for (const auto& call : pick(decodes)) out.insert({1, call.first + 1});
  return out;
}

// The tiles of `samples` as a cache of `cache.slots` slots holds them: with a window, a tile's slots
// start where its first query's window does (16-aligned), and a tile past the slots reads the last
// ones, as the engine's slots hold only what the window sees.
std::set<AttentionSample> in_cache(const std::set<AttentionSample>& samples, const CheckedCache& cache) {
  std::set<AttentionSample> out;
  for (AttentionSample s : samples) {
    if (cache.window == 0) {
      if (s.count <= cache.slots) out.insert(s);  // a call past the cache is refused by forward()
      continue;
    }
    s.count = std::min(s.count, cache.slots);
    s.first = std::max<int64_t>(0, s.count - s.nq - cache.window + 1) / 16 * 16;
    out.insert(s);
  }
  return out;
}
}  // namespace

std::string check_kernels(const KernelCheckPlan& plan, const std::vector<ForwardCall>& calls, cpu::ThreadTeam& team,
                          uint64_t seed) {
  Checker check(team, seed);
  std::set<int64_t> widths;
  for (const auto& call : calls) widths.insert(call.tokens);
  if (widths.empty()) return "";
  const auto& steps = plan.steps;
  const Step& output = plan.output;

  // Decode on every matrix where a call has one token; the output projection always.
  const bool decode = widths.count(1) > 0;
  for (const Step& step : steps) {
    if (!decode) break;
    const auto pieces = pieces_of(step, team.size(), 1);
    for (size_t i = 0; i < step.size() && !check.failed(); ++i) check.matmul(step[i], 1, decode_samples(pieces[i], check));
  }
  if (!check.failed()) check.matmul(output[0], 1, decode_samples(pieces_of(output, team.size(), 1)[0], check));

  // Prefill at each width on one matrix of each kind, chosen at random among the layers.
  std::map<std::tuple<GgmlType, int64_t, int64_t, std::string>, std::vector<std::pair<const Step*, size_t>>> kinds;
  for (const Step& step : steps)
    for (size_t i = 0; i < step.size(); ++i)
      kinds[{step[i].w->type, step[i].w->rows, step[i].w->cols, step[i].w->kernel.isa}].push_back({&step, i});
  for (int64_t n : widths) {
    if (n == 1) continue;
    for (const auto& [kind, where] : kinds) {
      if (check.failed()) break;
      const auto [step, i] = where[static_cast<size_t>(check.random(static_cast<int64_t>(where.size())))];
      check.matmul((*step)[i], n, prefill_samples(pieces_of(*step, team.size(), n)[i], n, check));
    }
  }

  const std::set<AttentionSample> tiles = attention_samples(calls, check);
  for (const CheckedCache& cache : plan.caches)
    if (!check.failed())
      check.attention(plan.attention, plan.head_dim, plan.q_stride, cache.slots, in_cache(tiles, cache));
  return check.verdict();
}

std::string LlamaEngine::verify_kernels(const std::vector<ForwardCall>& calls, uint64_t seed) const {
  // The matmul steps as run_member runs them: Q, K and V on one counter, then the attention output,
  // gate and up together, down; the output projection (one token in every call) last.
  KernelCheckPlan plan{attention_, config_.head_dim, config_.n_head * config_.head_dim};
  plan.caches = {{capacity_}};
  for (size_t l = 0; l < layers_.size(); ++l) {
    const Layer& L = layers_[l];
    auto name = [l](const char* n) { return fmt::format("blk.{}.{}", l, n); };
    plan.steps.push_back({{name("attn_q"), &L.wq}, {name("attn_k"), &L.wk}, {name("attn_v"), &L.wv}});
    plan.steps.push_back({{name("attn_output"), &L.wo}});
    plan.steps.push_back({{name("ffn_gate"), &L.gate}, {name("ffn_up"), &L.up}});
    plan.steps.push_back({{name("ffn_down"), &L.down}});
  }
  plan.output = {{"output", &output_}};
  return check_kernels(plan, calls, team_, seed);
}

}  // namespace specgap::llm
