#include "backends/vulkan/peak.h"

#include <fmt/format.h>

#include <bit>
#include <cstdint>
#include <limits>
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

// The int8 kernel's packed operands (shaders/peak_int8.spvasm): a holds the signed bytes 1, -2, 3, -4
// (lowest first) and b four -1s, so a signedness error changes every dot product.
constexpr uint32_t kDotA = 0xfc03fe01u;
constexpr uint32_t kDotB = 0xffffffffu;

// The signed 4 x 8-bit dot product of two packed words, as OpSDot computes it.
constexpr int32_t packed_dot(uint32_t a, uint32_t b) {
  int32_t sum = 0;
  for (int i = 0; i < 4; ++i) sum += int8_t(uint8_t(a >> (8 * i))) * int8_t(uint8_t(b >> (8 * i)));
  return sum;
}
// The largest chain value is 7 + n * dot: far from INT32_MAX, so OpSDotAccSat never saturates and the
// closed form holds.
static_assert(int64_t{7} + int64_t{kIterations} * packed_dot(kDotA, kDotB) < std::numeric_limits<int32_t>::max() / 2);

// Whether shaders/peak_int8.spvasm was assembled into the binary (CMakeLists.txt: needs spirv-tools).
#ifdef SPECGAP_VULKAN_SPIRV_TOOLS
constexpr bool kBuiltInt8 = true;
#else
constexpr bool kBuiltInt8 = false;
#endif

// One peak shader: its dtype, vector width and chain count.
struct PeakShader {
  Dtype dtype;
  const char* shader;
  const char* impl;
  int chains;        // independent chains per invocation
  int lanes;         // per chain: 4 for the float vectors; 1 for the int8 chain (one int32 accumulator)
  int ops_per_lane;  // per step: an FMA counts 2, a packed 4 x 8-bit dot product 8 (4 multiplies + 4 adds)
  const char* counting;
};
constexpr const char* kFmaCounting = "an FMA counts 2 FLOPs";
constexpr PeakShader kShaders[] = {
    {Dtype::fp32, "peak_fp32", "vk-vec4-x8", 8, 4, 2, kFmaCounting},
    {Dtype::fp16, "peak_fp16", "vk-f16vec4-x8", 8, 4, 2, kFmaCounting},
    {Dtype::fp64, "peak_fp64", "vk-dvec4-x4", 4, 4, 2, kFmaCounting},
    {Dtype::int8, "peak_int8", "vk-sdot4x8-x8", 8, 1, 8,
     "a packed 4 x 8-bit dot product counts 8 OPs (4 multiplies + 4 adds)"},
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
    nlohmann::json a = {{"dtype", std::string(to_string(s_.dtype))},
                        {"chains_per_invocation", s_.chains},
                        {"lanes_per_chain", s_.lanes},
                        {"ops_per_lane", s_.ops_per_lane},
                        {"iterations", kIterations},
                        {"workgroup", kWorkgroup},
                        {"workgroups", groups_},
                        {"launches_per_rep", batch_},
                        {"timer", ctx_->timer(QueueKind::compute)},
                        {"counting", s_.counting}};
    if (s_.dtype == Dtype::int8) {
      a["instruction"] = "OpSDotAccSat, PackedVectorFormat4x8Bit";
      // Without acceleration the driver lowers each dot product to plain integer instructions: the
      // figure is then of that sequence, not of a dot-product unit.
      a["integerDotProduct4x8BitPackedSignedAccelerated"] = ctx_->features().integer_dot_accelerated;
    }
    return a;
  }
  double work() const override { return flops_per_launch() * batch_; }

  std::string check() override {
    if (batch_ == 0) size_launches();
    fill_words(*ctx_, *out_, 0xffffffffu);
    time_launches(batch_);
    corrupt_if_asked(*ctx_, *out_, 16 * (invocations() - 1));
    std::vector<uint32_t> got(invocations() * 4);
    download(*ctx_, *out_, got.data(), got.size() * 4);
    for (uint64_t inv = 0; inv < invocations(); ++inv)
      for (int lane = 0; lane < 4; ++lane) {
        const double value = stored(got[inv * 4 + lane]);
        if (value != expected(lane))
          return fmt::format("{} {}: invocation {} lane {} summed {}, expected {} after {} iterations",
                             to_string(s_.dtype), impl(), inv, lane, value, expected(lane), kIterations);
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
    uint32_t a, b;  // the float kernels' fp32 1.0 and 1.0; the int8 kernel's packed kDotA and kDotB
  };
  Push push() const {
    if (s_.dtype == Dtype::int8) return {kIterations, kDotA, kDotB};
    return {kIterations, std::bit_cast<uint32_t>(1.0f), std::bit_cast<uint32_t>(1.0f)};
  }

  // One stored word: a float for the float kernels (which store their sums in fp32), an int32 for int8.
  double stored(uint32_t word) const {
    return s_.dtype == Dtype::int8 ? double(std::bit_cast<int32_t>(word)) : double(std::bit_cast<float>(word));
  }
  // Lane l of an invocation's stored vector, in closed form. Float kernels: the sum over chains j of
  // 4j + l + n (peak.glsl). int8: chains l and l + 4, each its start plus n dot products.
  double expected(int lane) const {
    const double n = kIterations;
    if (s_.dtype == Dtype::int8) return lane + (lane + 4) + 2 * n * packed_dot(kDotA, kDotB);
    const double chains = s_.chains;
    return 4 * chains * (chains - 1) / 2 + chains * (lane + n);
  }

  uint64_t invocations() const { return uint64_t(groups_) * kWorkgroup; }
  double flops_per_launch() const {
    return double(invocations()) * kIterations * s_.chains * s_.lanes * s_.ops_per_lane;
  }

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
    const Push push = this->push();
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
      if (!kBuiltInt8) return "unsupported: built without spirv-tools (spirv-as assembles the int8 dot-product shader)";
      return f.integer_dot ? "" : "unsupported: this device has no shaderIntegerDotProduct "
                                  "(VK_KHR_shader_integer_dot_product)";
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
