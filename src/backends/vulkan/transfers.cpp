#include "backends/vulkan/transfers.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "backends/vulkan/kernel.h"
#include "backends/vulkan/program.h"
#include "core/error.h"

namespace specgap::vulkan {
namespace {

using backends::Transfer;

constexpr double kBatchSeconds = 0.02;  // one repetition: copies back to back for about this long
constexpr uint32_t kWorkgroup = 256;    // stream_vec4's local_size_x
constexpr uint32_t kMostGroups = 4096;
constexpr uint64_t kChunkWords = uint64_t(1) << 22;

uint32_t random_word(uint64_t seed, uint64_t i) {
  uint64_t z = seed * 0x100000001b3ull + i + 0x9e3779b97f4a7c15ull;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return uint32_t((z ^ (z >> 31)) >> 16);
}

// One direction of copying: from `src` to `dst`, either buffer host-visible or device-local.
struct Copy {
  std::unique_ptr<Buffer> src, dst;
};

// Writes the seeded random words into a copy's source, and poisons its destination.
void prepare(Context& ctx, const Copy& c, uint64_t seed, QueueKind q) {
  const uint64_t words = c.src->bytes() / 4;
  std::vector<uint32_t> piece;
  for (uint64_t begin = 0; begin < words; begin += kChunkWords) {
    const uint64_t end = std::min(words, begin + kChunkWords);
    piece.resize(end - begin);
    for (uint64_t i = begin; i < end; ++i) piece[i - begin] = random_word(seed, i);
    if (c.src->mapped())
      std::memcpy(static_cast<uint32_t*>(c.src->mapped()) + begin, piece.data(), piece.size() * 4);
    else
      upload(ctx, *c.src, piece.data(), piece.size() * 4, begin * 4, q);
  }
  if (c.dst->mapped())
    std::memset(c.dst->mapped(), 0xff, c.dst->bytes());
  else
    fill_words(ctx, *c.dst, 0xffffffffu, VK_WHOLE_SIZE, 0, q);
}

// Every word of the destination against the seeded source.
std::string verify(Context& ctx, const Copy& c, uint64_t seed, QueueKind q, const std::string& what) {
  const uint64_t words = c.dst->bytes() / 4;
  std::vector<uint32_t> piece;
  for (uint64_t begin = 0; begin < words; begin += kChunkWords) {
    const uint64_t end = std::min(words, begin + kChunkWords);
    piece.resize(end - begin);
    if (c.dst->mapped())
      std::memcpy(piece.data(), static_cast<const uint32_t*>(c.dst->mapped()) + begin, piece.size() * 4);
    else
      download(ctx, *c.dst, piece.data(), piece.size() * 4, begin * 4, q);
    for (uint64_t i = begin; i < end; ++i)
      if (piece[i - begin] != random_word(seed, i))
        return fmt::format("{}: word {} of {} is 0x{:08x}, expected 0x{:08x}", what, i, words, piece[i - begin],
                           random_word(seed, i));
  }
  return "";
}

Copy make_copy(const std::shared_ptr<Context>& ctx, Transfer t, uint64_t bytes) {
  const Memory from = t == Transfer::h2d ? Memory::host : Memory::device;
  const Memory to = t == Transfer::d2h ? Memory::host : Memory::device;
  return {std::make_unique<Buffer>(ctx, bytes, from, true), std::make_unique<Buffer>(ctx, bytes, to, true)};
}

enum class Method { copy_command, shader };

// h2d, d2h or d2d by one method on one queue; bidir runs an h2d and a d2h copy together.
class TransferKernel final : public VulkanKernel {
 public:
  TransferKernel(std::shared_ptr<Context> ctx, Transfer t, uint64_t bytes, QueueKind q, Method m)
      : ctx_(std::move(ctx)), t_(t), q_(q), method_(m), bytes_(bytes) {
    if (t == Transfer::bidir) {
      copies_.push_back(make_copy(ctx_, Transfer::h2d, bytes));
      copies_.push_back(make_copy(ctx_, Transfer::d2h, bytes));
    } else {
      copies_.push_back(make_copy(ctx_, t, bytes));
    }
    if (m == Method::shader) {
      // stream_vec4's copy (c = a) with a the source and c the destination; b and the partial sums unused.
      const Copy& c = copies_[0];
      unused_ = std::make_unique<Buffer>(ctx_, 16, Memory::device);
      const uint64_t units = bytes / 16;
      groups_ = uint32_t(std::clamp<uint64_t>((units + kWorkgroup - 1) / kWorkgroup, 1, kMostGroups));
      push_ = {uint32_t(units), 0.0f};
      program_ = std::make_unique<Program>(ctx_, "stream_vec4",
                                           std::vector<const Buffer*>{c.src.get(), c.src.get(), c.dst.get(), unused_.get()},
                                           uint32_t(sizeof push_), std::vector<uint32_t>{uint32_t(StreamOp::copy)});
    }
  }

  std::string impl() const override {
    if (method_ == Method::shader) return "vk-shader-copy";
    if (two_queues()) return "vk-copy-two-queues";
    return q_ == QueueKind::transfer ? "vk-copy-engine" : "vk-copy-compute-queue";
  }

  nlohmann::json about() const override {
    nlohmann::json j = {{"method", method_ == Method::shader ? "compute shader (vec4 grid-stride copy)" : "vkCmdCopyBuffer"},
                        {"counting", t_ == Transfer::bidir ? "bytes copied in both directions (nvbandwidth)"
                                                           : "bytes copied, once (nvbandwidth)"},
                        {"bytes_per_copy", bytes_},
                        {"copies_per_rep", batch_},
                        {"host_memory", "pinned, " + host_flags()},
                        {"device_memory", device_flags()}};
    if (two_queues()) {
      j["queues"] = "h2d on the compute queue, d2h on the transfer-only queue, at once";
      j["timer"] = "host monotonic clock";
    } else {
      j["queue"] = q_ == QueueKind::transfer ? fmt::format("transfer-only family {}", ctx_->queue_family(q_))
                                             : fmt::format("compute family {}", ctx_->queue_family(q_));
      if (t_ == Transfer::bidir) j["queues"] = "h2d and d2h in one submission on one queue (no second queue)";
      j["timer"] = ctx_->timer(q_);
    }
    if (ctx_->unified_memory()) j["note"] = "host and device share the same DRAM (unified memory)";
    return j;
  }

  double work() const override { return double(bytes_) * double(copies_.size()) * batch_; }

  std::string check() override {
    if (batch_ == 0) batch_ = batch_size(time_copies(1).ns, kBatchSeconds);
    const uint64_t seed = ++seed_;
    for (const Copy& c : copies_) prepare(*ctx_, c, seed, q_);
    time_copies(batch_);
    const Copy& last = copies_.back();
    if (last.dst->mapped())
      corrupt_if_asked(static_cast<char*>(last.dst->mapped()) + 8);
    else
      corrupt_if_asked(*ctx_, *last.dst, 8);
    for (size_t i = 0; i < copies_.size(); ++i) {
      const std::string what = t_ == Transfer::bidir ? (i == 0 ? "h2d" : "d2h") : backends::to_string(t_);
      if (std::string why = verify(*ctx_, copies_[i], seed, q_, what + " " + impl()); !why.empty()) return why;
    }
    return "";
  }

  backends::Repetition run() override {
    const Timing t = time_copies(batch_);
    return {t.ns, host_observed(t)};
  }

 private:
  struct Push {
    uint32_t units;
    float s;
  };

  bool two_queues() const { return t_ == Transfer::bidir && q_ == QueueKind::transfer; }

  std::string host_flags() const {
    for (const Copy& c : copies_)
      for (const Buffer* b : {c.src.get(), c.dst.get()})
        if (b->mapped()) return b->memory_flags();
    return "none";
  }
  std::string device_flags() const {
    for (const Copy& c : copies_)
      for (const Buffer* b : {c.src.get(), c.dst.get()})
        if (!b->mapped()) return b->memory_flags();
    return "none";
  }

  void record_copy(VkCommandBuffer cmd, const Copy& c) const {
    if (method_ == Method::shader) {
      program_->dispatch(cmd, groups_, 1, &push_);
      return;
    }
    const VkBufferCopy region{0, 0, bytes_};
    ctx_->api().vkCmdCopyBuffer(cmd, c.src->handle(), c.dst->handle(), 1, &region);
  }

  // `count` copies back to back (each direction's, for bidir), one after another as a stream of
  // cudaMemcpyAsync runs them: a barrier between copies of one direction, none between directions.
  Timing time_copies(int count) {
    const double expected_s = 1e-9 * double(count) * double(last_ns_);
    auto record = [&](VkCommandBuffer cmd, QueueKind q, size_t first, size_t last) {
      ctx_->barrier(cmd, false, q);
      for (int i = 0; i < count; ++i) {
        if (i) ctx_->barrier(cmd, false, q);
        for (size_t k = first; k < last; ++k) record_copy(cmd, copies_[k]);
      }
      ctx_->barrier(cmd, true, q);  // the host reads pinned destinations after the fence
    };
    Timing t;
    if (two_queues())
      t = ctx_->run_both([&](VkCommandBuffer cmd) { record(cmd, QueueKind::compute, 0, 1); },
                         [&](VkCommandBuffer cmd) { record(cmd, QueueKind::transfer, 1, 2); }, expected_s);
    else
      t = ctx_->run(q_, [&](VkCommandBuffer cmd) { record(cmd, q_, 0, copies_.size()); }, expected_s);
    last_ns_ = t.ns / count;
    return t;
  }

  std::shared_ptr<Context> ctx_;
  Transfer t_;
  QueueKind q_;
  Method method_;
  uint64_t bytes_;
  std::vector<Copy> copies_;
  std::unique_ptr<Buffer> unused_;
  std::unique_ptr<Program> program_;
  uint32_t groups_ = 0;
  Push push_{};
  int batch_ = 0;
  int64_t last_ns_ = 0;
  uint64_t seed_ = 0;
};

}  // namespace

backends::Offer make_transfers(std::shared_ptr<Context> ctx, Transfer t, uint64_t bytes) {
  bytes = bytes / 16 * 16;
  if (bytes == 0) return {{}, "unsupported: a transfer needs at least 16 bytes"};
  if (bytes > ctx->max_allocation_bytes())
    throw Error(fmt::format("a {} transfer of {} bytes exceeds {}'s largest allocation ({} bytes)",
                            backends::to_string(t), bytes, ctx->id(), ctx->max_allocation_bytes()));
  backends::Offer offer;
  offer.kernels.push_back(std::make_unique<TransferKernel>(ctx, t, bytes, QueueKind::compute, Method::copy_command));
  if (ctx->has_transfer_queue())
    offer.kernels.push_back(std::make_unique<TransferKernel>(ctx, t, bytes, QueueKind::transfer, Method::copy_command));
  if (t == Transfer::d2d && bytes <= ctx->max_buffer_bytes())
    offer.kernels.push_back(std::make_unique<TransferKernel>(ctx, t, bytes, QueueKind::compute, Method::shader));
  return offer;
}

}  // namespace specgap::vulkan
