#include "backends/vulkan/stream_arrays.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "backends/vulkan/kernel.h"
#include "backends/vulkan/program.h"
#include "core/error.h"

namespace specgap::vulkan {
namespace {

constexpr uint32_t kWorkgroup = 256;      // stream.glsl's local_size_x
constexpr uint32_t kMostGroups = 4096;    // 1M invocations: enough to fill any GPU's cores
constexpr double kBatchSeconds = 0.01;    // one repetition: launches back to back for about this long
constexpr uint64_t kChunk = uint64_t(1) << 22;  // elements generated and compared per piece on the host
constexpr uint32_t kPoison = 0xffffffffu;  // a NaN: an element the kernel did not write never compares equal

uint64_t splitmix64(uint64_t z) {
  z += 0x9e3779b97f4a7c15ull;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

// Element i of array `which` (0 a, 1 b, 2 c): a value in [1, 2) on a 1/1024 grid, random, never zero,
// and exact under every op (b + 3c < 8 needs 13 of float's 24 bits). Stateless, so any piece of an
// array can be generated on its own.
float grid_value(uint64_t seed, int which, uint64_t i) {
  return 1.0f + float(splitmix64(seed * 3 + uint64_t(which) + (i << 2)) >> 54) / 1024.0f;
}

// The read check's fill of a: integers 1..4, so that every partial sum of up to 2^22 elements is exact
// in float whatever the order the device adds them in.
float count_value(uint64_t seed, uint64_t i) { return float(1 + (splitmix64(seed * 7 + (i << 2)) >> 62)); }

// Writes value(i) into elements [from, n) of `dst`, a piece at a time.
template <class Value>
void fill_array(Context& ctx, const Buffer& dst, uint64_t n, Value value, uint64_t from = 0) {
  std::vector<float> piece;
  for (uint64_t begin = from; begin < n; begin += kChunk) {
    const uint64_t end = std::min(n, begin + kChunk);
    piece.resize(end - begin);
    for (uint64_t i = begin; i < end; ++i) piece[i - begin] = value(i);
    upload(ctx, dst, piece.data(), piece.size() * 4, begin * 4);
  }
}

struct Arrays {
  std::shared_ptr<Context> ctx;
  uint64_t n;  // elements per array, a multiple of 4
  uint64_t seed;
  std::unique_ptr<Buffer> a, b, c;
};

// One op in one load width over the first n elements of the shared arrays (all of them, but for the
// working-set sweep), each repetition launches back to back for at least `batch_seconds`.
class StreamKernel final : public VulkanKernel {
 public:
  StreamKernel(std::shared_ptr<Arrays> x, StreamOp op, bool vec4, uint64_t n, double batch_seconds)
      : x_(std::move(x)), op_(op), vec4_(vec4), n_(n), batch_seconds_(batch_seconds) {
    const uint64_t units = n_ / (vec4_ ? 4 : 1);
    groups_ = uint32_t(std::clamp<uint64_t>((units + kWorkgroup - 1) / kWorkgroup, 1, kMostGroups));
    partial_ = std::make_unique<Buffer>(x_->ctx, groups_ * sizeof(float), Memory::device);
    program_ = std::make_unique<Program>(x_->ctx, vec4_ ? "stream_vec4" : "stream_scalar",
                                         std::vector<const Buffer*>{x_->a.get(), x_->b.get(), x_->c.get(), partial_.get()},
                                         uint32_t(sizeof(Push)), std::vector<uint32_t>{uint32_t(op_)});
    push_ = {uint32_t(units), float(kStreamScalar)};
  }

  std::string impl() const override { return vec4_ ? "vk-vec4" : "vk-scalar"; }
  nlohmann::json about() const override {
    return {{"loads", vec4_ ? "vec4 (16 B)" : "float (4 B)"},
            {"loop", "grid-stride"},
            {"workgroup", kWorkgroup},
            {"workgroups", groups_},
            {"launches_per_rep", batch_},
            {"timer", x_->ctx->timer(QueueKind::compute)},
            {"memory", x_->a->memory_flags()}};
  }
  double work() const override { return double(stream_bytes(op_, n_, 4)) * batch_; }

  std::string check() override {
    Context& ctx = *x_->ctx;
    if (batch_ == 0) batch_ = batch_size(time_launches(1).ns, batch_seconds_);
    restore_inputs();
    fill_words(ctx, op_ == StreamOp::read ? *partial_ : output(), kPoison);
    time_launches(batch_);
    // The read's first partial sum: a sweep's small span may have a single workgroup.
    corrupt_if_asked(ctx, op_ == StreamOp::read ? *partial_ : output(), op_ == StreamOp::read ? 0 : 4);
    return op_ == StreamOp::read ? check_partials() : check_output();
  }

  backends::Repetition run() override {
    const Timing t = time_launches(batch_);
    return {t.ns, host_observed(t)};
  }

 private:
  struct Push {
    uint32_t units;
    float s;
  };

  Timing time_launches(int count) {
    Context& ctx = *x_->ctx;
    const double expected_s = 1e-9 * double(count) * double(last_ns_);
    const Timing t = ctx.run(QueueKind::compute, [&](VkCommandBuffer cmd) {
      ctx.barrier(cmd);  // what earlier submissions wrote (the check's fill) is visible to the first launch
      for (int i = 0; i < count; ++i) {
        // Launches of one op run one after another, as STREAM's loops do, never overlapped.
        if (i) ctx.barrier(cmd);
        program_->dispatch(cmd, groups_, 1, &push_);
      }
    }, expected_s);
    last_ns_ = t.ns / count;
    return t;
  }

  const Buffer& output() const {
    switch (op_) {
      case StreamOp::copy:
      case StreamOp::add: return *x_->c;
      case StreamOp::scale: return *x_->b;
      default: return *x_->a;  // triad, write
    }
  }

  // Puts the seeded values back into the arrays the op reads (an earlier op may have overwritten them).
  void restore_inputs() {
    Context& ctx = *x_->ctx;
    const uint64_t seed = x_->seed;
    if (op_ == StreamOp::read) {
      fill_array(ctx, *x_->a, n_, [&](uint64_t i) { return count_value(seed, i); });
      return;
    }
    const Buffer* arrays[3] = {x_->a.get(), x_->b.get(), x_->c.get()};
    for (int which = 0; which < 3; ++which)
      if (op_ != StreamOp::write && arrays[which] != &output())
        fill_array(ctx, *arrays[which], n_, [&](uint64_t i) { return grid_value(seed, which, i); });
  }

  float expected(uint64_t i) const {
    const float s = float(kStreamScalar);
    auto v = [&](int which) { return grid_value(x_->seed, which, i); };
    switch (op_) {
      case StreamOp::copy: return v(0);
      case StreamOp::scale: return s * v(2);
      case StreamOp::add: return v(0) + v(1);
      case StreamOp::triad: return v(1) + s * v(2);
      case StreamOp::write: return s;
      case StreamOp::read: break;
    }
    return NAN;
  }

  // Every element of the output, exactly.
  std::string check_output() {
    std::vector<float> got;
    uint64_t wrong = 0, first = 0;
    float first_got = 0, first_expected = 0;
    for (uint64_t begin = 0; begin < n_; begin += kChunk) {
      const uint64_t end = std::min(n_, begin + kChunk);
      got.resize(end - begin);
      download(*x_->ctx, output(), got.data(), got.size() * 4, begin * 4);
      for (uint64_t i = begin; i < end; ++i) {
        const float e = expected(i);
        if (got[i - begin] == e) continue;
        if (wrong++ == 0) first = i, first_got = got[i - begin], first_expected = e;
      }
    }
    if (wrong == 0) return "";
    return fmt::format("{} {}: element {} is {}, expected {} ({} of {} elements wrong)", stream_op_info(op_).name,
                       impl(), first, first_got, first_expected, wrong, n_);
  }

  // Each workgroup's sum, exactly: workgroup w sums the units its invocations visit in the
  // grid-stride loop, unit u going to invocation u mod (groups * 256).
  std::string check_partials() {
    const uint64_t width = vec4_ ? 4 : 1;
    const uint64_t invocations = uint64_t(groups_) * kWorkgroup;
    std::vector<double> sums(groups_, 0.0);
    for (uint64_t i = 0; i < n_; ++i) sums[(i / width) % invocations / kWorkgroup] += count_value(x_->seed, i);
    std::vector<float> got(groups_);
    download(*x_->ctx, *partial_, got.data(), got.size() * 4);
    for (uint32_t w = 0; w < groups_; ++w)
      if (double(got[w]) != sums[w])
        return fmt::format("read {}: workgroup {} summed {}, expected {}", impl(), w, got[w], sums[w]);
    return "";
  }

  std::shared_ptr<Arrays> x_;
  StreamOp op_;
  bool vec4_;
  uint64_t n_;  // elements from the start of each array, a multiple of 4
  double batch_seconds_;
  uint32_t groups_ = 0;
  int batch_ = 0;  // launches per repetition, sized by the first check
  int64_t last_ns_ = 0;
  std::unique_ptr<Buffer> partial_;
  std::unique_ptr<Program> program_;
  Push push_{};
};

class VulkanStreamArrays final : public backends::StreamArrays {
 public:
  explicit VulkanStreamArrays(std::shared_ptr<Arrays> x) : x_(std::move(x)) {}
  uint64_t elements() const override { return x_->n; }
  uint64_t element_bytes() const override { return 4; }
  backends::Kernels kernels(StreamOp op, const std::vector<std::string>& impls) override {
    return make(op, impls, x_->n, kBatchSeconds);
  }
  // A value is a function of (seed, array, index), so a refill writes what every check expects.
  void fill(uint64_t from, uint64_t to) override {
    const Buffer* arrays[3] = {x_->a.get(), x_->b.get(), x_->c.get()};
    for (int which = 0; which < 3; ++which)
      fill_array(*x_->ctx, *arrays[which], std::min(to, x_->n), [&](uint64_t i) { return grid_value(x_->seed, which, i); },
                 from);
  }
  // Whole vec4s, so both widths cover the same elements.
  uint64_t span_step() const override { return 4; }
  // Both widths store through the caches; vec4 issues a quarter of the loads for the same bytes, so
  // a cache's rate is the less likely to be capped by instruction issue.
  std::string preferred_impl(StreamOp) const override { return "vk-vec4"; }
  backends::Kernels kernels(StreamOp op, const std::vector<std::string>& impls, const backends::StreamSpan& span) override {
    if (span.elements == 0 || span.elements % 4 || span.elements > x_->n)
      throw Error(fmt::format("a STREAM span of {} elements is not whole vec4s within the arrays' {}", span.elements,
                              x_->n));
    return make(op, impls, span.elements, std::max(kBatchSeconds, 1e-9 * double(span.min_rep_ns)));
  }

 private:
  backends::Kernels make(StreamOp op, const std::vector<std::string>& impls, uint64_t n, double batch_seconds) {
    backends::Kernels out;
    for (bool vec4 : {false, true}) {
      auto k = std::make_unique<StreamKernel>(x_, op, vec4, n, batch_seconds);
      if (impls.empty() || std::find(impls.begin(), impls.end(), k->impl()) != impls.end()) out.push_back(std::move(k));
    }
    return out;
  }

  std::shared_ptr<Arrays> x_;
};

}  // namespace

std::unique_ptr<backends::StreamArrays> make_stream_arrays(std::shared_ptr<Context> ctx, uint64_t memory_bytes,
                                                           const backends::StreamRequest& r) {
  // Whole vec4s, so both widths cover the same elements; work() counts exactly these.
  const uint64_t n = r.array_bytes / 16 * 4;
  if (n == 0) throw Error(fmt::format("STREAM arrays of {} bytes hold no element on {}", r.array_bytes, ctx->id()));
  const uint64_t bytes = n * 4;
  if (bytes > ctx->max_buffer_bytes())
    throw Error(fmt::format("a STREAM array of {} bytes exceeds the largest buffer {} binds ({} bytes)", bytes,
                            ctx->id(), ctx->max_buffer_bytes()));
  if (3 * bytes > memory_bytes / 2)
    throw Error(fmt::format("three STREAM arrays of {} bytes exceed half of {}'s {} bytes of device memory", bytes,
                            ctx->id(), memory_bytes));
  // The read check's partial sums stay exact while a workgroup sums at most 2^22 elements of 1..4.
  if (n > (uint64_t(kMostGroups) << 22))
    throw Error(fmt::format("STREAM arrays of {} elements are too long for the read check's float sums", n));
  auto x = std::make_shared<Arrays>();
  x->ctx = ctx;
  x->n = n;
  x->seed = r.seed;
  x->a = std::make_unique<Buffer>(ctx, bytes, Memory::device);
  x->b = std::make_unique<Buffer>(ctx, bytes, Memory::device);
  x->c = std::make_unique<Buffer>(ctx, bytes, Memory::device);
  auto arrays = std::make_unique<VulkanStreamArrays>(std::move(x));
  // Every array starts with its seeded values (copy and write read nothing else, and the rest restore
  // their inputs in check()), unless the sweep fills them as its points grow.
  if (r.fill) arrays->fill(0, n);
  return arrays;
}

}  // namespace specgap::vulkan
