#include "backends/vulkan/peak.h"

#include <fmt/format.h>

#include <vector>

#include "backends/vulkan/kernel.h"
#include "backends/vulkan/program.h"

namespace specgap::vulkan {
namespace {

constexpr uint32_t kWorkgroup = 256;       // peak.glsl's local_size_x
constexpr uint32_t kFirstGroups = 4;       // the sizing probe's first grid
constexpr uint32_t kMostGroups = 4096;     // 1M invocations: enough to fill any GPU
constexpr int64_t kMinLaunchNs = 1000000;  // the probe grows the grid until one launch takes 1 ms
constexpr uint32_t kIterations = 1024;     // per chain; keeps fp16's 31 + n below 2048

// One shader of peak.glsl: its dtype's vector and chain count.
struct PeakShader {
  Dtype dtype;
  const char* shader;
  const char* impl;
  int chains;  // independent chains per invocation, 4 lanes each
};
constexpr PeakShader kShaders[] = {
    {Dtype::fp32, "peak_fp32", "vk-vec4-x8", 8},
    {Dtype::fp16, "peak_fp16", "vk-f16vec4-x8", 8},
    {Dtype::fp64, "peak_fp64", "vk-dvec4-x4", 4},
};

class PeakKernel final : public VulkanKernel {
 public:
  PeakKernel(std::shared_ptr<Context> ctx, const PeakShader& s, double rep_seconds)
      : ctx_(std::move(ctx)), s_(s), rep_seconds_(rep_seconds) {
    out_ = std::make_unique<Buffer>(ctx_, uint64_t(kMostGroups) * kWorkgroup * 16, Memory::device);
    program_ = std::make_unique<Program>(ctx_, s_.shader, std::vector<const Buffer*>{out_.get()}, uint32_t(sizeof(Push)));
  }

  std::string impl() const override { return s_.impl; }
  nlohmann::json about() const override {
    return {{"dtype", std::string(to_string(s_.dtype))},
            {"chains_per_invocation", s_.chains},
            {"lanes_per_chain", 4},
            {"iterations", kIterations},
            {"workgroup", kWorkgroup},
            {"workgroups", groups_},
            {"launches_per_rep", batch_},
            {"timer", ctx_->timer(QueueKind::compute)},
            {"counting", "an FMA counts 2 FLOPs"}};
  }
  double work() const override { return flops_per_launch() * batch_; }

  std::string check() override {
    if (batch_ == 0) size_launches();
    fill_words(*ctx_, *out_, 0xffffffffu);
    time_launches(batch_);
    corrupt_if_asked(*ctx_, *out_, 16 * (invocations() - 1));
    std::vector<float> got(invocations() * 4);
    download(*ctx_, *out_, got.data(), got.size() * 4);
    // Lane l of the stored sum: sum over chains j of (4j + l + n).
    const double chains = s_.chains;
    for (uint64_t inv = 0; inv < invocations(); ++inv)
      for (int lane = 0; lane < 4; ++lane) {
        const double expected = 4 * chains * (chains - 1) / 2 + chains * (lane + double(kIterations));
        if (double(got[inv * 4 + lane]) != expected)
          return fmt::format("{} {}: invocation {} lane {} summed {}, expected {} after {} iterations",
                             to_string(s_.dtype), impl(), inv, lane, got[inv * 4 + lane], expected, kIterations);
      }
    return "";
  }

  backends::Repetition run() override {
    const Timing t = time_launches(batch_);
    return {t.ns, host_observed(t)};
  }

 private:
  struct Push {
    uint32_t iterations;
    float a, b;
  };

  uint64_t invocations() const { return uint64_t(groups_) * kWorkgroup; }
  double flops_per_launch() const { return double(invocations()) * kIterations * s_.chains * 4 * 2; }

  // vkpeak's sizing: grow the grid until one launch is long enough to time, then repeat launches to
  // fill the repetition.
  void size_launches() {
    groups_ = kFirstGroups;
    int64_t ns = time_launches(1).ns;
    while (ns < kMinLaunchNs && groups_ < kMostGroups) {
      groups_ *= 2;
      ns = time_launches(1).ns;
    }
    batch_ = batch_size(ns, rep_seconds_, 100000);
  }

  Timing time_launches(int count) {
    const Push push{kIterations, 1.0f, 1.0f};
    const double expected_s = 1e-9 * double(count) * double(last_ns_);
    const Timing t = ctx_->run(QueueKind::compute, [&](VkCommandBuffer cmd) {
      ctx_->barrier(cmd);
      for (int i = 0; i < count; ++i) {
        if (i) ctx_->barrier(cmd);  // every launch writes the same results
        program_->dispatch(cmd, groups_, 1, &push);
      }
    }, expected_s);
    last_ns_ = t.ns / count;
    return t;
  }

  std::shared_ptr<Context> ctx_;
  PeakShader s_;
  double rep_seconds_;
  std::unique_ptr<Buffer> out_;
  std::unique_ptr<Program> program_;
  uint32_t groups_ = kFirstGroups;
  int batch_ = 0;
  int64_t last_ns_ = 0;
};

// Why the device runs no peak kernel for d, or "" when it does.
std::string why_not(const Context& ctx, Dtype d) {
  const Features& f = ctx.features();
  switch (d) {
    case Dtype::fp32: return "";
    case Dtype::fp16: return f.float16 ? "" : "unsupported: this device has no shaderFloat16";
    case Dtype::fp64: return f.float64 ? "" : "unsupported: this device has no shaderFloat64";
    case Dtype::int8:
      return f.integer_dot ? "unsupported: the int8 dot-product peak is not built yet (Debian 12's glslang 11.13 "
                             "cannot compile GL_EXT_integer_dot_product; it needs SPIR-V assembly)"
                           : "unsupported: this device has no VK_KHR_shader_integer_dot_product";
    case Dtype::bf16:
      return "unsupported: a bf16 vector peak needs VK_KHR_shader_bfloat16, which Debian 12's glslang 11.13 "
             "cannot compile";
    default:
      return fmt::format("unsupported: Vulkan shaders have no {} vector arithmetic (only matrix units take it)",
                         to_string(d));
  }
}

}  // namespace

backends::Offer make_peak(std::shared_ptr<Context> ctx, const backends::PeakRequest& r) {
  if (std::string why = why_not(*ctx, r.dtype); !why.empty()) return {{}, why};
  backends::Offer offer;
  for (const PeakShader& s : kShaders)
    if (s.dtype == r.dtype) offer.kernels.push_back(std::make_unique<PeakKernel>(ctx, s, r.rep_seconds));
  return offer;
}

}  // namespace specgap::vulkan
