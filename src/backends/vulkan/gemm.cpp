#include "backends/vulkan/gemm.h"

#include <fmt/format.h>

#include <cmath>
#include <cstring>
#include <vector>

#include "backends/vulkan/kernel.h"
#include "backends/vulkan/program.h"
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

class GemmKernel final : public VulkanKernel {
 public:
  GemmKernel(std::shared_ptr<Context> ctx, const backends::GemmRequest& r) : ctx_(std::move(ctx)), r_(r) {
    const uint64_t m = r.m, n = r.n, k = r.k;
    const bool fp16 = r.dtype == Dtype::fp16;
    const uint64_t in_bytes = fp16 ? 2 : 4;
    uint64_t state = r.seed;
    a_.resize(m * k);
    b_.resize(k * n);
    for (float& x : a_) x = operand(state);
    for (float& x : b_) x = operand(state);
    a_buf_ = std::make_unique<Buffer>(ctx_, m * k * in_bytes, Memory::device);
    b_buf_ = std::make_unique<Buffer>(ctx_, k * n * in_bytes, Memory::device);
    c_buf_ = std::make_unique<Buffer>(ctx_, m * n * 4, Memory::device);
    if (fp16) {
      std::vector<uint16_t> a16(a_.size()), b16(b_.size());
      for (size_t i = 0; i < a_.size(); ++i) a16[i] = exact_fp16(a_[i]);
      for (size_t i = 0; i < b_.size(); ++i) b16[i] = exact_fp16(b_[i]);
      upload(*ctx_, *a_buf_, a16.data(), a16.size() * 2);
      upload(*ctx_, *b_buf_, b16.data(), b16.size() * 2);
    } else {
      upload(*ctx_, *a_buf_, a_.data(), a_.size() * 4);
      upload(*ctx_, *b_buf_, b_.data(), b_.size() * 4);
    }
    program_ = std::make_unique<Program>(ctx_, fp16 ? "gemm_fp16" : "gemm_fp32",
                                         std::vector<const Buffer*>{a_buf_.get(), b_buf_.get(), c_buf_.get()},
                                         uint32_t(sizeof(Push)));
    // The four corners of C (the edges' tiles), then random entries.
    entries_ = {{0, 0}, {0, n - 1}, {m - 1, 0}, {m - 1, n - 1}};
    for (int s = 0; s < r.check_samples; ++s) entries_.push_back({splitmix64(state) % m, splitmix64(state) % n});
  }

  std::string impl() const override { return r_.dtype == Dtype::fp16 ? "vk-tiled-f16in" : "vk-tiled"; }
  nlohmann::json about() const override {
    return {{"dtype", std::string(to_string(r_.dtype))},
            {"operands", r_.dtype == Dtype::fp16 ? "fp16" : "fp32"},
            {"accumulate", "fp32"},
            // The shader runs on the vector ALUs; a claim for the matrix cores is not held against it.
            {"matrix_units", false},
            {"tile", "64x64 per workgroup of 16x16, 4x4 per invocation, k slices of 16 in shared memory"},
            {"calls_per_rep", batch_},
            {"timer", ctx_->timer(QueueKind::compute)}};
  }
  double work() const override { return 2.0 * r_.m * r_.n * r_.k * batch_; }

  std::string check() override {
    if (batch_ == 0) batch_ = batch_size(time_calls(1).ns, r_.rep_seconds, 100000);
    fill_words(*ctx_, *c_buf_, 0xffffffffu);
    time_calls(batch_);
    corrupt_if_asked(*ctx_, *c_buf_, (uint64_t(r_.m) * r_.n - 1) * 4);
    std::vector<float> c(uint64_t(r_.m) * r_.n);
    download(*ctx_, *c_buf_, c.data(), c.size() * 4);
    // The classic bound for a k-term dot product accumulated in fp32 (u = 2^-24; the products are
    // exact): |c - ref| <= 2 k u sum |a b|, the factor 2 as in the CPU GEMM's check.
    int wrong = 0;
    std::string first;
    for (const Entry& e : entries_) {
      double ref = 0, magnitude = 0;
      for (uint64_t p = 0; p < uint64_t(r_.k); ++p) {
        const double prod = double(a_[e.i * r_.k + p]) * double(b_[p * r_.n + e.j]);
        ref += prod;
        magnitude += std::fabs(prod);
      }
      const double bound = 2.0 * r_.k * 0x1p-24 * magnitude;
      const double got = c[e.i * r_.n + e.j];
      if (std::isfinite(got) && std::fabs(got - ref) <= bound) continue;
      if (wrong++ == 0)
        first = fmt::format("C[{},{}] is {}, expected {} +- {:.3g} (2*k*2^-24*sum|a*b|)", e.i, e.j, got, ref, bound);
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

  Timing time_calls(int count) {
    const Push push{uint32_t(r_.m), uint32_t(r_.n), uint32_t(r_.k)};
    const uint32_t gx = (uint32_t(r_.n) + kTile - 1) / kTile, gy = (uint32_t(r_.m) + kTile - 1) / kTile;
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
  std::vector<float> a_, b_;  // the operands as the shader sees them (fp16 ones exactly)
  std::unique_ptr<Buffer> a_buf_, b_buf_, c_buf_;
  std::unique_ptr<Program> program_;
  std::vector<Entry> entries_;
  int batch_ = 0;
  int64_t last_ns_ = 0;
};

std::string why_not(const Context& ctx, const backends::GemmRequest& r) {
  const Features& f = ctx.features();
  switch (r.dtype) {
    case Dtype::fp32: return "";
    case Dtype::fp16:
      return f.float16 && f.storage16 ? "" : "unsupported: fp16 GEMM needs shaderFloat16 and storageBuffer16BitAccess";
    case Dtype::fp64: return "unsupported: the Vulkan fp64 GEMM is not built yet";
    default:
      return f.cooperative_matrix
                 ? "unsupported: cooperative-matrix GEMM not built yet (Debian 12's glslang 11.13 can't compile "
                   "GL_KHR_cooperative_matrix)"
                 : "unsupported: this driver offers no VK_KHR_cooperative_matrix";
  }
}

}  // namespace

backends::Offer make_gemm(std::shared_ptr<Context> ctx, const backends::GemmRequest& r) {
  if (std::string why = why_not(*ctx, r); !why.empty()) return {{}, why};
  if (r.m < 1 || r.n < 1 || r.k < 1)
    throw Error(fmt::format("GEMM {}x{}x{}: every side must be at least 1", r.m, r.n, r.k));
  // The shader indexes with 32-bit integers and binds each matrix whole.
  const uint64_t largest = std::max({uint64_t(r.m) * r.k, uint64_t(r.k) * r.n, uint64_t(r.m) * r.n}) * 4;
  if (largest > ctx->max_buffer_bytes() || largest / 4 > UINT32_MAX)
    return {{}, fmt::format("unsupported: a {}x{}x{} GEMM's matrices exceed the {} bytes {} binds per buffer", r.m,
                            r.n, r.k, ctx->max_buffer_bytes(), ctx->id())};
  backends::Offer offer;
  offer.kernels.push_back(std::make_unique<GemmKernel>(ctx, r));
  return offer;
}

}  // namespace specgap::vulkan
