#pragma once
// What the architectures' forward passes share (engine.cpp for Llama, gpt_oss_engine.cpp): how a
// team member takes its share of a step, how a model's tensors are checked as they are loaded and
// packed, and the cache's padding.
#include <algorithm>
#include <atomic>
#include <span>
#include <cstdint>
#include <string>
#include <vector>

#include "backends/cpu/buffer.h"
#include "backends/cpu/thread_team.h"
#include "llm/engine.h"
#include "llm/tensor_source.h"

namespace specgap::llm {

struct Span {
  int64_t begin, end;
};
// Member m's share of n items, contiguous.
inline Span share(int64_t n, size_t members, size_t m) {
  const int64_t per = n / static_cast<int64_t>(members), extra = n % static_cast<int64_t>(members);
  const auto mm = static_cast<int64_t>(m);
  const int64_t begin = mm * per + std::min(mm, extra);
  return {begin, begin + per + (mm < extra ? 1 : 0)};
}

inline int64_t groups_of(const PackedWeight& w) { return (w.rows + cpu::kPackRows - 1) / cpu::kPackRows; }

inline uint64_t round_up(uint64_t n, uint64_t to) { return (n + to - 1) / to * to; }

// The cache's positions, padded so the attention kernels may read whole 16-position vectors.
inline int64_t padded_capacity(int64_t context) { return (context + 15) / 16 * 16; }

// The positions a sliding-window layer's cache holds, whatever the context (llama.cpp keeps n_swa +
// n_ubatch): what a call's first query still sees (the window, from a 16-aligned start), the call's
// own tokens, 16 for the kernels' last vector, and a window more, so that dropping the positions no
// query sees any more (one move of at most a window) comes once per `window` decoded tokens.
inline int64_t window_capacity(int64_t window, int64_t max_batch, int64_t context) {
  return std::min(padded_capacity(context), padded_capacity(2 * window + max_batch + 32));
}

// The cache slots layer l holds: window_capacity() on a window layer, the padded context elsewhere.
inline int64_t cache_slots(const ModelConfig& c, const EngineOptions& o, int64_t l) {
  return c.sliding(l) ? window_capacity(c.sliding_window, o.max_batch, o.context) : padded_capacity(o.context);
}

// A member's part of an element-wise step over rows of `width`: its own tokens, whole rows, when the
// call has a token per member (prefill); else every token, and its share of the columns in whole
// activation blocks (decode), so that no member waits while another normalises a row.
struct Part {
  int64_t t0, t1, c0, c1;
};
Part member_part(int64_t width, int64_t first, int64_t tokens, size_t members, size_t m);

// One matrix product of a step: weight w against `tokens` activation rows (act_stride bytes apart),
// results rows `out_stride` floats apart.
struct Product {
  const PackedWeight* w;
  const std::byte* act;
  size_t act_stride;
  int64_t tokens;
  float* out;
  int64_t out_stride;
};
// Runs this member's share of one step's products: the products share the counter `next`, from
// which members take chunks of row groups (row_chunks.h) in order until none are left, so a member
// slowed by the machine takes fewer.
void run_products(std::span<const Product> products, std::atomic<int64_t>& next, size_t members);

// Throws the one-line refusal of a forward call that cannot run: a number of tokens outside
// 1..max_batch, more positions than the cache holds, a token id outside the vocabulary.
void check_call(const int32_t* tokens, int64_t n, int64_t position, const EngineOptions& options, int64_t n_vocab);

// The spec of a tensor the model must have, with the shape it must have (trailing 1s ignored).
TensorSpec expect(const TensorSource& s, const std::string& name, std::vector<uint64_t> dims);

// A vector (norm weights, biases, sinks) as floats: F32, F16 or BF16 in the file.
std::vector<float> read_vector(TensorSource& source, const std::string& name, int64_t n);

// Packs `count` matrices of rows x cols stored one after another in tensor `name` (count 1: a
// plain matrix; GPT-OSS's expert tensors: one per expert) into `storage`, on `team`, each with the
// kernel `kernel(type)`. The tensor must be of shape {cols, rows} or {cols, rows, count}.
std::vector<PackedWeight> pack_matrices(TensorSource& source, cpu::ThreadTeam& team, const std::string& name,
                                        int64_t cols, int64_t rows, int64_t count,
                                        const std::function<cpu::MatmulKernel(GgmlType)>& kernel,
                                        std::vector<cpu::Buffer>& storage);

// The residual stream of a forward call, rows of `width` floats. A norm step writes the stream plus
// a step's output into the spare buffer (not in place, since members read whole rows for the mean
// square while others write their columns) and the normalised row into `normed`; then the two
// buffers swap. Each member holds its own Residual over the shared buffers and makes the same swaps.
class Residual {
 public:
  Residual(float* x, float* spare, float* normed, int64_t width, double eps)
      : x_(x), spare_(spare), normed_(normed), width_(width), eps_(static_cast<float>(eps)) {}
  float* x() const { return x_; }
  // Columns p.c0..p.c1 of rows p.t0..p.t1: x + added (none: nullptr), RMS-normalised times weight.
  void add_norm(const float* added, const std::vector<float>& weight, const Part& p);

 private:
  float* x_;
  float* spare_;
  float* normed_;
  int64_t width_;
  float eps_;
};

}  // namespace specgap::llm
