#include "backends/vulkan/buffer.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "core/error.h"

namespace specgap::vulkan {
namespace {

constexpr uint64_t kStagingBytes = uint64_t(64) << 20;

// The memory type for `where` among those `allowed` (a VkMemoryRequirements bit mask): the first that
// has the required flags and most of the preferred ones, without the avoided ones where possible.
uint32_t choose_memory_type(const VkPhysicalDeviceMemoryProperties& m, uint32_t allowed, Memory where) {
  const VkMemoryPropertyFlags required = where == Memory::device
                                             ? VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT
                                             : VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
  // Device buffers avoid host-visible types (on a dGPU those are the small BAR window); host buffers
  // avoid device-local ones (that is VRAM behind the BAR, not the host's pinned RAM).
  const VkMemoryPropertyFlags avoided = where == Memory::device ? VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT
                                                                : VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT;
  const VkMemoryPropertyFlags preferred = where == Memory::host ? VK_MEMORY_PROPERTY_HOST_CACHED_BIT : 0;
  int best = -1, best_score = -1;
  for (uint32_t t = 0; t < m.memoryTypeCount; ++t) {
    const VkMemoryPropertyFlags f = m.memoryTypes[t].propertyFlags;
    if (!(allowed & (1u << t)) || (f & required) != required) continue;
    const int score = ((f & avoided) ? 0 : 2) + ((f & preferred) == preferred ? 1 : 0);
    if (score > best_score) best = int(t), best_score = score;
  }
  return best < 0 ? UINT32_MAX : uint32_t(best);
}

}  // namespace

Buffer::Buffer(std::shared_ptr<Context> ctx, uint64_t bytes, Memory where, bool both_queues)
    : ctx_(std::move(ctx)), bytes_(bytes) {
  const DeviceApi& vk = ctx_->api();
  const char* kind = where == Memory::device ? "device" : "host-visible";
  if (bytes > ctx_->max_allocation_bytes())
    throw Error(fmt::format("{} bytes of {} memory exceed {}'s largest allocation ({} bytes)", bytes, kind,
                            ctx_->id(), ctx_->max_allocation_bytes()));
  VkBufferCreateInfo info{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
  info.size = std::max<uint64_t>(bytes, 4);
  info.usage = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT;
  const uint32_t families[2] = {ctx_->queue_family(QueueKind::compute), ctx_->queue_family(QueueKind::transfer)};
  if (both_queues && ctx_->has_transfer_queue()) {
    info.sharingMode = VK_SHARING_MODE_CONCURRENT;
    info.queueFamilyIndexCount = 2;
    info.pQueueFamilyIndices = families;
  }
  ctx_->check(vk.vkCreateBuffer(ctx_->device(), &info, nullptr, &buffer_), "vkCreateBuffer");
  VkMemoryRequirements req{};
  vk.vkGetBufferMemoryRequirements(ctx_->device(), buffer_, &req);
  const uint32_t type = choose_memory_type(ctx_->memory(), req.memoryTypeBits, where);
  if (type == UINT32_MAX) {
    vk.vkDestroyBuffer(ctx_->device(), buffer_, nullptr);
    throw Error(fmt::format("{} offers no {} memory type for a buffer", ctx_->id(), kind));
  }
  flags_ = ctx_->memory().memoryTypes[type].propertyFlags;
  VkMemoryAllocateInfo alloc{VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO};
  alloc.allocationSize = req.size;
  alloc.memoryTypeIndex = type;
  const VkResult r = vk.vkAllocateMemory(ctx_->device(), &alloc, nullptr, &memory_);
  if (r == VK_ERROR_OUT_OF_DEVICE_MEMORY || r == VK_ERROR_OUT_OF_HOST_MEMORY) {
    vk.vkDestroyBuffer(ctx_->device(), buffer_, nullptr);
    throw Error(fmt::format("out of {} memory allocating {} bytes on {}",
                            r == VK_ERROR_OUT_OF_DEVICE_MEMORY ? "device" : "host", bytes, ctx_->id()));
  }
  if (r != VK_SUCCESS) vk.vkDestroyBuffer(ctx_->device(), buffer_, nullptr);
  ctx_->check(r, "vkAllocateMemory");
  ctx_->check(vk.vkBindBufferMemory(ctx_->device(), buffer_, memory_, 0), "vkBindBufferMemory");
  if (where == Memory::host)
    ctx_->check(vk.vkMapMemory(ctx_->device(), memory_, 0, VK_WHOLE_SIZE, 0, &mapped_), "vkMapMemory");
}

Buffer::~Buffer() {
  const DeviceApi& vk = ctx_->api();
  if (mapped_) vk.vkUnmapMemory(ctx_->device(), memory_);
  vk.vkDestroyBuffer(ctx_->device(), buffer_, nullptr);
  if (memory_) vk.vkFreeMemory(ctx_->device(), memory_, nullptr);
}

std::string Buffer::memory_flags() const {
  std::string s;
  auto add = [&](VkMemoryPropertyFlags bit, const char* name) {
    if (flags_ & bit) s += (s.empty() ? "" : "|") + std::string(name);
  };
  add(VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT, "DEVICE_LOCAL");
  add(VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT, "HOST_VISIBLE");
  add(VK_MEMORY_PROPERTY_HOST_COHERENT_BIT, "HOST_COHERENT");
  add(VK_MEMORY_PROPERTY_HOST_CACHED_BIT, "HOST_CACHED");
  return s;
}

void upload(Context& ctx, const Buffer& dst, const void* src, uint64_t bytes, uint64_t dst_offset, QueueKind q) {
  // The staging buffer shares the context's lifetime only for this call: a non-owning shared_ptr.
  std::shared_ptr<Context> self(std::shared_ptr<Context>(), &ctx);
  Buffer staging(self, std::min(bytes, kStagingBytes), Memory::host);
  for (uint64_t done = 0; done < bytes;) {
    const uint64_t n = std::min(bytes - done, kStagingBytes);
    std::memcpy(staging.mapped(), static_cast<const char*>(src) + done, n);
    ctx.run(q, [&](VkCommandBuffer cmd) {
      const VkBufferCopy region{0, dst_offset + done, n};
      ctx.api().vkCmdCopyBuffer(cmd, staging.handle(), dst.handle(), 1, &region);
    });
    done += n;
  }
}

void download(Context& ctx, const Buffer& src, void* dst, uint64_t bytes, uint64_t src_offset, QueueKind q) {
  std::shared_ptr<Context> self(std::shared_ptr<Context>(), &ctx);
  Buffer staging(self, std::min(bytes, kStagingBytes), Memory::host);
  for (uint64_t done = 0; done < bytes;) {
    const uint64_t n = std::min(bytes - done, kStagingBytes);
    ctx.run(q, [&](VkCommandBuffer cmd) {
      // Whatever wrote src in an earlier submission is made visible to this copy, and the copy to the host.
      ctx.barrier(cmd, false, q);
      const VkBufferCopy region{src_offset + done, 0, n};
      ctx.api().vkCmdCopyBuffer(cmd, src.handle(), staging.handle(), 1, &region);
      ctx.barrier(cmd, true, q);
    });
    std::memcpy(static_cast<char*>(dst) + done, staging.mapped(), n);
    done += n;
  }
}

void fill_words(Context& ctx, const Buffer& dst, uint32_t word, uint64_t bytes, uint64_t offset, QueueKind q) {
  ctx.run(q, [&](VkCommandBuffer cmd) {
    ctx.barrier(cmd, false, q);
    ctx.api().vkCmdFillBuffer(cmd, dst.handle(), offset, bytes, word);
    ctx.barrier(cmd, false, q);
  });
}

}  // namespace specgap::vulkan
