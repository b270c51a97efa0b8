#include "backends/vulkan/gemm.h"

#include <fmt/format.h>

#include <cmath>
#include <cstring>
#include <optional>
#include <vector>

#include "backends/vulkan/cooperative_matrix.h"
#include "backends/vulkan/coopmat_spirv.h"
#include "backends/vulkan/kernel.h"
#include "backends/vulkan/program.h"
#include "backends/vulkan/shaders.h"
#include "core/error.h"

namespace specgap::vulkan {
namespace {

constexpr uint32_t kTile = 64;  // gemm.glsl's BM and BN

uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

// An operand: +-j/256 for j in 1..256. Never zero, 8 significant bits, so it is exact in fp16 and
// every product of two is exact in fp32: the reference sees exactly what the shader multiplied.
float operand(uint64_t& state) {
  const uint64_t r = splitmix64(state);
  const float v = float((r >> 56) + 1) / 256.0f;
  return (r & 1) ? -v : v;
}

// The fp16 bits of a float that fp16 holds exactly as a normal number (every operand above).
uint16_t exact_fp16(float f) {
  uint32_t x;
  std::memcpy(&x, &f, 4);
  const uint32_t sign = (x >> 16) & 0x8000u;
  const uint32_t exponent = ((x >> 23) & 0xffu) - 127 + 15;
  return uint16_t(sign | exponent << 10 | (x >> 13 & 0x3ffu));
}

struct Entry {
  uint64_t i, j;
};

// How a GEMM runs: the tiled shader on the vector units, or the cooperative-matrix one on the
// matrix units (one shape the driver lists).
struct Engine {
  std::string impl;
  std::optional<MatrixShape> matrix;  // set for the cooperative-matrix shader
  uint32_t tile_m = kTile, tile_n = kTile;  // C covered by one workgroup
};

class GemmKernel final : public VulkanKernel {
 public:
  GemmKernel(std::shared_ptr<Context> ctx, const backends::GemmRequest& r, Engine engine)
      : ctx_(std::move(ctx)), r_(r), engine_(std::move(engine)) {
    const uint64_t m = r.m, n = r.n, k = r.k;
    uint64_t state = r.seed;
    a_.resize(m * k);
    b_.resize(k * n);
    // int8: +-1..127, exact in int32 for any k the buffers allow (k * 127^2 < 2^31 up to k = 133144).
    auto next = [&] { return integer() ? float(int(splitmix64(state) % 254) - 127 + 1) : operand(state); };
    for (float& x : a_) x = next();
    for (float& x : b_) x = next();
    a_buf_ = std::make_unique<Buffer>(ctx_, m * k * operand_bytes(), Memory::device);
    b_buf_ = std::make_unique<Buffer>(ctx_, k * n * operand_bytes(), Memory::device);
    c_buf_ = std::make_unique<Buffer>(ctx_, m * n * 4, Memory::device);
    upload_operands(*a_buf_, a_);
    upload_operands(*b_buf_, b_);
    const std::vector<const Buffer*> buffers{a_buf_.get(), b_buf_.get(), c_buf_.get()};
    if (engine_.matrix) {
      const MatrixShape& s = *engine_.matrix;
      const auto khr = cooperative_matrix_nv_to_khr(shader_code(integer() ? "gemm_coopmat_int8" : "gemm_coopmat_fp16"));
      program_ = std::make_unique<Program>(ctx_, engine_.impl, khr, buffers, uint32_t(sizeof(Push)),
                                           std::vector<uint32_t>{s.m, s.n, s.k});
    } else {
      program_ = std::make_unique<Program>(ctx_, r.dtype == Dtype::fp16 ? "gemm_fp16" : "gemm_fp32", buffers,
                                           uint32_t(sizeof(Push)));
    }
    // The four corners of C (the edges' tiles), then random entries.
    entries_ = {{0, 0}, {0, n - 1}, {m - 1, 0}, {m - 1, n - 1}};
    for (int s = 0; s < r.check_samples; ++s) entries_.push_back({splitmix64(state) % m, splitmix64(state) % n});
  }

  std::string impl() const override { return engine_.impl; }
  nlohmann::json about() const override {
    nlohmann::json j{{"dtype", std::string(to_string(r_.dtype))},
                     {"operands", integer() ? "int8" : r_.dtype == Dtype::fp16 ? "fp16" : "fp32"},
                     {"accumulate", integer() ? "int32" : "fp32"},
                     // On the vector ALUs, a claim for the matrix cores is not held against the figure.
                     {"matrix_units", engine_.matrix.has_value()},
                     {"calls_per_rep", batch_},
                     {"timer", ctx_->timer(QueueKind::compute)}};
    if (engine_.matrix) {
      j["extension"] = "VK_KHR_cooperative_matrix";
      j["fragment"] = engine_.matrix->text();
      j["tile"] = fmt::format("{}x{} per subgroup (2x2 fragments), {}x{} per workgroup of 128, operands loaded "
                              "straight from the storage buffers", 2 * engine_.matrix->m, 2 * engine_.matrix->n,
                              engine_.tile_m, engine_.tile_n);
    } else {
      j["tile"] = "64x64 per workgroup of 16x16, 4x4 per invocation, k slices of 16 in shared memory";
    }
    return j;
  }
  double work() const override { return 2.0 * r_.m * r_.n * r_.k * batch_; }

  std::string check() override {
    if (batch_ == 0) batch_ = batch_size(time_calls(1).ns, r_.rep_seconds, 100000);
    fill_words(*ctx_, *c_buf_, 0xffffffffu);
    time_calls(batch_);
    corrupt_if_asked(*ctx_, *c_buf_, (uint64_t(r_.m) * r_.n - 1) * 4);
    std::vector<uint32_t> c(uint64_t(r_.m) * r_.n);
    download(*ctx_, *c_buf_, c.data(), c.size() * 4);
    // Float: the classic bound for a k-term dot product accumulated in fp32 (u = 2^-24; the products
    // are exact): |c - ref| <= 2 k u sum |a b|, the factor 2 as in the CPU GEMM's check. Integer: exact.
    int wrong = 0;
    std::string first;
    for (const Entry& e : entries_) {
      double ref = 0, magnitude = 0;
      for (uint64_t p = 0; p < uint64_t(r_.k); ++p) {
        const double prod = double(a_[e.i * r_.k + p]) * double(b_[p * r_.n + e.j]);
        ref += prod;
        magnitude += std::fabs(prod);
      }
      const uint32_t word = c[e.i * r_.n + e.j];
      float f;
      std::memcpy(&f, &word, 4);
      const double got = integer() ? double(int32_t(word)) : double(f);
      const double bound = integer() ? 0.0 : 2.0 * r_.k * 0x1p-24 * magnitude;
      if (std::isfinite(got) && std::fabs(got - ref) <= bound) continue;
      if (wrong++ == 0)
        first = integer() ? fmt::format("C[{},{}] is {}, expected {} exactly", e.i, e.j, got, ref)
                          : fmt::format("C[{},{}] is {}, expected {} +- {:.3g} (2*k*2^-24*sum|a*b|)", e.i, e.j, got,
                                        ref, bound);
    }
    if (wrong == 0) return "";
    return fmt::format("{} {} {}x{}x{}: {} ({} of {} sampled entries wrong)", to_string(r_.dtype), impl(), r_.m, r_.n,
                       r_.k, first, wrong, entries_.size());
  }

  backends::Repetition run() override {
    const Timing t = time_calls(batch_);
    return {t.ns, host_observed(t)};
  }

 private:
  struct Push {
    uint32_t m, n, k;
  };

  bool integer() const { return r_.dtype == Dtype::int8; }
  uint64_t operand_bytes() const { return integer() ? 1 : r_.dtype == Dtype::fp16 ? 2 : 4; }

  // The operands as the shader reads them: fp32, fp16 bits (exact), or int8.
  void upload_operands(const Buffer& dst, const std::vector<float>& v) {
    if (integer()) {
      std::vector<int8_t> bytes(v.begin(), v.end());
      upload(*ctx_, dst, bytes.data(), bytes.size());
    } else if (r_.dtype == Dtype::fp16) {
      std::vector<uint16_t> halves(v.size());
      for (size_t i = 0; i < v.size(); ++i) halves[i] = exact_fp16(v[i]);
      upload(*ctx_, dst, halves.data(), halves.size() * 2);
    } else {
      upload(*ctx_, dst, v.data(), v.size() * 4);
    }
  }

  Timing time_calls(int count) {
    const Push push{uint32_t(r_.m), uint32_t(r_.n), uint32_t(r_.k)};
    const uint32_t gx = (uint32_t(r_.n) + engine_.tile_n - 1) / engine_.tile_n;
    const uint32_t gy = (uint32_t(r_.m) + engine_.tile_m - 1) / engine_.tile_m;
    const double expected_s = 1e-9 * double(count) * double(last_ns_);
    const Timing t = ctx_->run(QueueKind::compute, [&](VkCommandBuffer cmd) {
      ctx_->barrier(cmd);
      for (int i = 0; i < count; ++i) {
        if (i) ctx_->barrier(cmd);  // every call writes the same C
        program_->dispatch(cmd, gx, gy, &push);
      }
    }, expected_s);
    last_ns_ = t.ns / count;
    return t;
  }

  std::shared_ptr<Context> ctx_;
  backends::GemmRequest r_;
  Engine engine_;
  std::vector<float> a_, b_;  // the operands as the shader sees them (fp16 and int8 ones exactly)
  std::unique_ptr<Buffer> a_buf_, b_buf_, c_buf_;
  std::unique_ptr<Program> program_;
  std::vector<Entry> entries_;
  int batch_ = 0;
  int64_t last_ns_ = 0;
};

// The cooperative-matrix engine for r, or why it cannot run r ("" and an engine when it can).
std::string matrix_engine(const Context& ctx, const backends::GemmRequest& r, Engine& out) {
  const Features& f = ctx.features();
  if (std::string why = matrix_gemm_why_not(f.matrix_shapes, r.dtype); !why.empty()) return why;
#ifndef SPECGAP_VULKAN_SPIRV_TOOLS
  (void)out;
  return "unsupported: this build has no cooperative-matrix shader (spirv-as and spirv-val were not found)";
#else
  if (!f.memory_model) return "unsupported: the cooperative-matrix GEMM needs vulkanMemoryModel";
  if (r.dtype == Dtype::fp16 && !(f.float16 && f.storage16))
    return "unsupported: the fp16 cooperative-matrix GEMM needs shaderFloat16 and storageBuffer16BitAccess";
  if (r.dtype == Dtype::int8 && !(f.int8 && f.storage8))
    return "unsupported: the int8 cooperative-matrix GEMM needs shaderInt8 and storageBuffer8BitAccess";
  const MatrixShape s = *pick_matrix_shape(f.matrix_shapes, r.dtype);
  // Each subgroup stores whole 2x2 fragment blocks and steps k by whole fragments.
  if (r.m % (2 * s.m) || r.n % (2 * s.n) || r.k % s.k)
    return fmt::format("unsupported: the cooperative-matrix GEMM on {} fragments needs m a multiple of {}, n of {} "
                       "and k of {}; {}x{}x{} is not", s.text(), 2 * s.m, 2 * s.n, s.k, r.m, r.n, r.k);
  out = {"vk-coopmat", s, 4 * s.m, 4 * s.n};
  return "";
#endif
}

std::string tiled_why_not(const Context& ctx, const backends::GemmRequest& r) {
  const Features& f = ctx.features();
  switch (r.dtype) {
    case Dtype::fp32: return "";
    case Dtype::fp16:
      return f.float16 && f.storage16 ? "" : "unsupported: fp16 GEMM needs shaderFloat16 and storageBuffer16BitAccess";
    case Dtype::fp64: return "unsupported: the Vulkan fp64 GEMM is not built yet";
    default: return "unsupported: no tiled shader";  // matrix formats run on the matrix units or not at all
  }
}

}  // namespace

backends::Offer make_gemm(std::shared_ptr<Context> ctx, const backends::GemmRequest& r) {
  if (r.m < 1 || r.n < 1 || r.k < 1)
    throw Error(fmt::format("GEMM {}x{}x{}: every side must be at least 1", r.m, r.n, r.k));
  Engine matrix;
  const std::string matrix_why = matrix_engine(*ctx, r, matrix);
  const std::string tiled_why = tiled_why_not(*ctx, r);
  if (!matrix_why.empty() && !tiled_why.empty())
    return {{}, r.dtype == Dtype::fp64 || r.dtype == Dtype::fp16 ? tiled_why : matrix_why};
  // The shaders index with 32-bit integers and bind each matrix whole.
  const uint64_t largest = std::max({uint64_t(r.m) * r.k, uint64_t(r.k) * r.n, uint64_t(r.m) * r.n}) * 4;
  if (largest > ctx->max_buffer_bytes() || largest / 4 > UINT32_MAX)
    return {{}, fmt::format("unsupported: a {}x{}x{} GEMM's matrices exceed the {} bytes {} binds per buffer", r.m,
                            r.n, r.k, ctx->max_buffer_bytes(), ctx->id())};
  backends::Offer offer;
  if (tiled_why.empty())
    offer.kernels.push_back(
        std::make_unique<GemmKernel>(ctx, r, Engine{r.dtype == Dtype::fp16 ? "vk-tiled-f16in" : "vk-tiled"}));
  if (matrix_why.empty()) offer.kernels.push_back(std::make_unique<GemmKernel>(ctx, r, std::move(matrix)));
  else if (r.dtype == Dtype::fp16)
    offer.notes.push_back("no cooperative-matrix fp16 GEMM: " + matrix_why.substr(matrix_why.find(": ") + 2));
  return offer;
}

}  // namespace specgap::vulkan
