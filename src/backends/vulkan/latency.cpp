#include "backends/vulkan/latency.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "backends/vulkan/kernel.h"
#include "backends/vulkan/program.h"
#include "core/random_cycle.h"
#include "core/units.h"

namespace specgap::vulkan {
namespace {

constexpr uint64_t kStrideBytes = 64;                      // one node per 64-byte line, as on the CPU
constexpr uint32_t kStrideWords = kStrideBytes / 4;        // the shader's indices are of uint32 elements
constexpr uint32_t kProbeLoads = 1 << 12;                  // the short chase that sizes the repetitions
// The most one chase runs (shaders/pointer_chase.comp, Push): also the warming lap's, one lap of up to
// 64 MiB, past any GPU's L2 we know.
constexpr uint32_t kMostLoads = 16 * 65535;
constexpr uint64_t kChunkNodes = uint64_t(1) << 20;        // nodes laid out and uploaded per piece
constexpr uint32_t kPoison = 0xffffffffu;                  // no node: an end the chase did not write

class ChaseKernel final : public VulkanKernel {
 public:
  ChaseKernel(std::shared_ptr<Context> ctx, const backends::LatencyRequest& r)
      : ctx_(std::move(ctx)),
        order_(std::max<uint64_t>(2, r.working_set_bytes / kStrideBytes)),
        rep_ns_(r.rep_seconds * 1e9) {
    random_cycle(order_, r.seed);
    next_ = std::make_unique<Buffer>(ctx_, order_.size() * kStrideBytes, Memory::device);
    end_ = std::make_unique<Buffer>(ctx_, 4, Memory::device);
    lay_out();
    program_ = std::make_unique<Program>(ctx_, "pointer_chase", std::vector<const Buffer*>{next_.get(), end_.get()},
                                         uint32_t(sizeof(Push)));
  }

  std::string impl() const override { return "vk-pointer-chase-random"; }
  nlohmann::json about() const override {
    return {{"stride_bytes", kStrideBytes},
            {"pages", "device-local"},
            {"memory", next_->memory_flags()},
            {"invocations", 1},
            {"timer", ctx_->timer(QueueKind::compute)}};
  }
  double work() const override { return double(loads_); }

  // A warming lap, then a short chase timed to size the repetitions, then one repetition as it will be
  // timed: each must end on the node the host's walk of the same cycle reaches.
  std::string check() override {
    const uint32_t lap = uint32_t(std::min<uint64_t>(nodes(), kMostLoads));
    if (std::string why = left_cycle(lap, chase(lap).end); !why.empty()) return why;
    if (std::string why = left_cycle(kProbeLoads, chase(kProbeLoads).end); !why.empty()) return why;
    loads_ = uint32_t(std::clamp<double>(rep_ns_ / ns_per_load_, kProbeLoads, kMostLoads));
    return left_cycle(loads_, chase(loads_, true).end);
  }

  backends::Repetition run() override {
    const Chased c = chase(loads_);
    return {c.t.ns, host_observed(c.t), left_cycle(loads_, c.end)};
  }

 private:
  struct Push {
    uint32_t start;  // element index of the first node
    uint32_t loads;
  };
  struct Chased {
    Timing t;
    uint32_t end;  // the node the chase ended on
  };

  uint64_t nodes() const { return order_.size(); }

  // Writes every node's link (the element index of the node after it) into the first word of its line,
  // a piece at a time so that the host never holds a second copy of a large working set.
  void lay_out() {
    std::vector<uint32_t> next_node(nodes());
    for (uint64_t k = 0; k < nodes(); ++k) next_node[order_[k]] = order_[(k + 1) % nodes()];
    std::vector<uint32_t> piece;
    for (uint64_t begin = 0; begin < nodes(); begin += kChunkNodes) {
      const uint64_t end = std::min(nodes(), begin + kChunkNodes);
      piece.assign((end - begin) * kStrideWords, 0);
      for (uint64_t i = begin; i < end; ++i) piece[(i - begin) * kStrideWords] = next_node[i] * kStrideWords;
      upload(*ctx_, *next_, piece.data(), piece.size() * 4, begin * kStrideBytes);
    }
  }

  // One timed chase from the first node over a poisoned end (so an end it did not write never passes),
  // and where it ended; `corruptible` lets the test hook overwrite that end before it is read.
  Chased chase(uint32_t loads, bool corruptible = false) {
    fill_words(*ctx_, *end_, kPoison);
    const Push push{order_[0] * kStrideWords, loads};
    const Timing t = ctx_->run(QueueKind::compute, [&](VkCommandBuffer cmd) {
      ctx_->barrier(cmd);
      program_->dispatch(cmd, 1, 1, &push);
    }, 1e-9 * double(loads) * ns_per_load_);
    ns_per_load_ = double(std::max<int64_t>(t.ns, 1)) / loads;
    if (corruptible) corrupt_if_asked(*ctx_, *end_);
    Chased c{t, 0};
    download(*ctx_, *end_, &c.end, 4);
    return c;
  }

  // "" when `end` is the node the host's walk of the cycle reaches after `loads` links, else why not.
  std::string left_cycle(uint32_t loads, uint32_t end) const {
    const uint32_t expected = order_[loads % nodes()];
    if (end == expected) return "";
    return fmt::format("the chase left its cycle: after {} loads over {} it ended on node {}, not {}", loads,
                       format_bytes(nodes() * kStrideBytes), end, expected);
  }

  std::shared_ptr<Context> ctx_;
  std::vector<uint32_t> order_;  // order_[k]: the node visited at step k
  double rep_ns_;
  std::unique_ptr<Buffer> next_, end_;
  std::unique_ptr<Program> program_;
  uint32_t loads_ = kProbeLoads;  // per repetition, sized by check()
  double ns_per_load_ = 0;        // the last chase's, for the next one's wait (and the sizing)
};

}  // namespace

backends::Offer make_latency(std::shared_ptr<Context> ctx, uint64_t memory_bytes, const backends::LatencyRequest& r) {
  if (!ctx->has_timestamps(QueueKind::compute))
    return {{}, fmt::format("unsupported: {}'s compute queue has no timestamps, and one chase is timed by them",
                            ctx->id())};
  // maxStorageBufferRange is 32 bits, so every element index of a bindable buffer fits the shader's uint.
  const uint64_t most = std::min(ctx->max_buffer_bytes(), memory_bytes ? memory_bytes / 6 : UINT64_MAX);
  if (r.working_set_bytes > most)
    return {{}, fmt::format("unsupported: a {} chase on {} exceeds its largest buffer or a sixth of its memory ({})",
                            format_bytes(r.working_set_bytes), ctx->id(), format_bytes(most))};
  backends::Offer offer;
  offer.kernels.push_back(std::make_unique<ChaseKernel>(std::move(ctx), r));
  return offer;
}

}  // namespace specgap::vulkan
