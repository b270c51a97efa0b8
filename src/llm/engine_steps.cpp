#include "llm/engine_steps.h"

#include <utility>

#include "backends/cpu/quant_reference.h"
#include "core/error.h"
#include "llm/row_chunks.h"
#include "llm/vector_ops.h"

namespace specgap::llm {

Part member_part(int64_t width, int64_t first, int64_t tokens, size_t members, size_t m) {
  if (tokens >= static_cast<int64_t>(members)) {
    const Span t = share(tokens, members, m);
    return {first + t.begin, first + t.end, 0, width};
  }
  const int64_t unit = width % 256 == 0 ? 256 : 32;  // the activation blocks of every weight type
  const Span c = share(width / unit, members, m);
  return {first, first + tokens, c.begin * unit, c.end * unit};
}

void run_products(std::span<const Product> products, std::atomic<int64_t>& next, size_t members) {
  int64_t total = 0, tokens = 0;
  for (const auto& p : products) total += groups_of(*p.w), tokens = std::max(tokens, p.tokens);
  const int64_t shares = chunk_shares(members, tokens, small_decode_chunks());
  for (int64_t start = next.load(std::memory_order_relaxed);;) {
    if (start >= total) break;
    const int64_t end = chunk_end(start, total, shares);
    if (!next.compare_exchange_weak(start, end, std::memory_order_relaxed)) continue;
    int64_t offset = 0;
    for (const auto& p : products) {
      const PackedWeight& w = *p.w;
      const int64_t g0 = std::max(start, offset) - offset, g1 = std::min(end, offset + groups_of(w)) - offset;
      if (g0 < g1) w.kernel.fn(w.data, w.rows, w.cols, g0, g1, p.act, p.act_stride, p.tokens, p.out, p.out_stride);
      offset += groups_of(w);
    }
  }
}

void check_call(const int32_t* tokens, int64_t n, int64_t position, const EngineOptions& options, int64_t n_vocab) {
  if (n < 1 || n > options.max_batch)
    throw Error("engine: " + std::to_string(n) + " tokens in one call; 1 to " + std::to_string(options.max_batch) + " fit");
  if (position + n > options.context)
    throw Error("engine: the KV cache holds " + std::to_string(options.context) + " positions; " +
                std::to_string(position + n) + " were asked for");
  for (int64_t i = 0; i < n; ++i)
    if (tokens[i] < 0 || tokens[i] >= n_vocab)
      throw Error("engine: token id " + std::to_string(tokens[i]) + " is outside the vocabulary (" + std::to_string(n_vocab) + ")");
}

TensorSpec expect(const TensorSource& s, const std::string& name, std::vector<uint64_t> dims) {
  const auto spec = s.spec(name);
  if (!spec) throw Error(s.description() + ": missing tensor " + name);
  auto shape = [](const std::vector<uint64_t>& d) {
    std::string out;
    for (auto v : d) out += (out.empty() ? "" : " x ") + std::to_string(v);
    return out;
  };
  std::vector<uint64_t> got = spec->dims;
  while (got.size() > dims.size() && got.back() == 1) got.pop_back();
  if (got != dims)
    throw Error(s.description() + ": tensor " + name + " has shape " + shape(spec->dims) + ", the config needs " + shape(dims));
  return *spec;
}

std::vector<float> read_vector(TensorSource& source, const std::string& name, int64_t n) {
  const TensorSpec s = expect(source, name, {static_cast<uint64_t>(n)});
  if (s.type != GgmlType::f32 && s.type != GgmlType::f16 && s.type != GgmlType::bf16)
    throw Error(source.description() + ": tensor " + name + " is " + std::string(to_string(s.type)) +
                "; norms, biases and sinks must be f32, f16 or bf16");
  std::vector<float> v(n);
  source.read(name, [&](const void* data) { cpu::dequantize_row(s.type, data, v.data(), n); });
  return v;
}

std::vector<PackedWeight> pack_matrices(TensorSource& source, cpu::ThreadTeam& team, const std::string& name,
                                        int64_t cols, int64_t rows, int64_t count,
                                        const std::function<cpu::MatmulKernel(GgmlType)>& kernel,
                                        std::vector<cpu::Buffer>& storage) {
  std::vector<uint64_t> dims{static_cast<uint64_t>(cols), static_cast<uint64_t>(rows)};
  if (count > 1) dims.push_back(static_cast<uint64_t>(count));
  const TensorSpec s = expect(source, name, dims);
  if (!cpu::has_matmul(s.type))
    throw Error(source.description() + ": tensor " + name + " is " + std::string(to_string(s.type)) +
                ", which specgap has no kernel for (" + cpu::matmul_type_names() + ")");
  // Whole activation blocks (32 or 256 columns); float rows whole 16-float vectors.
  const cpu::ActFormat act = cpu::act_format(s.type);
  const int64_t multiple = act == cpu::ActFormat::q8x32 ? 32 : act == cpu::ActFormat::f32 ? 16 : 256;
  if (cols % multiple != 0)
    throw Error(source.description() + ": tensor " + name + " has rows of " + std::to_string(cols) +
                " elements; the kernels need a multiple of " + std::to_string(multiple));
  std::vector<PackedWeight> out(static_cast<size_t>(count));
  const size_t row_bytes = *ggml_row_bytes(s.type, static_cast<uint64_t>(cols));
  // One allocation for the tensor's matrices, each 64-byte aligned: a buffer of its own per expert
  // would round each 4.4 MiB matrix of the 20b up to whole 2 MiB huge pages (3.7 GB more).
  const uint64_t bytes = cpu::packed_bytes(s.type, rows, cols), stride = round_up(bytes, 64);
  storage.emplace_back(stride * static_cast<uint64_t>(count));
  auto* base = static_cast<std::byte*>(storage.back().data());
  for (size_t e = 0; e < out.size(); ++e) {
    PackedWeight& w = out[e];
    w.type = s.type;
    w.rows = rows;
    w.cols = cols;
    w.bytes = bytes;
    w.kernel = kernel(s.type);
    w.data = base + e * stride;
  }
  const int64_t groups = groups_of(out[0]);
  try {
    source.read(name, [&](const void* data) {
      team.run([&](size_t m) {
        const Span g = share(groups * count, team.size(), m);
        for (int64_t i = g.begin; i < g.end; ++i) {
          const int64_t e = i / groups, group = i % groups;
          cpu::pack_groups(s.type, static_cast<const uint8_t*>(data) + e * rows * row_bytes, rows, cols,
                           const_cast<std::byte*>(out[static_cast<size_t>(e)].data), group, group + 1);
        }
      });
    });
  } catch (const cpu::InvalidWeights& bad) {
    throw Error(source.description() + ": tensor " + name + ": " + bad.what());
  }
  return out;
}

void Residual::add_norm(const float* added, const std::vector<float>& weight, const Part& p) {
  for (int64_t t = p.t0; t < p.t1; ++t)
    add_rms_norm(x_ + t * width_, added ? added + t * width_ : nullptr, weight.data(), width_, eps_, p.c0, p.c1,
                 spare_ + t * width_, normed_ + t * width_);
  std::swap(x_, spare_);
}

}  // namespace specgap::llm
