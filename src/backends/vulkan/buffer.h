#pragma once
// Buffers bound to their own memory: device-local (what kernels read and write) or host-visible
// coherent memory the host maps (pinned staging, the host side of transfers). Usable as storage
// buffers and as copy sources and destinations.
#include <cstdint>
#include <memory>

#include "backends/vulkan/context.h"

namespace specgap::vulkan {

enum class Memory {
  device,  // DEVICE_LOCAL, preferring a type the host cannot map (VRAM proper on a discrete GPU)
  host,    // HOST_VISIBLE | HOST_COHERENT, preferring system RAM (not DEVICE_LOCAL), cached when offered
};

class Buffer {
 public:
  // Throws specgap::Error: "out of device memory allocating N bytes on gpu0", or the failing call.
  // A buffer both queues use (compute and transfer-only) is shared concurrently between their
  // families, so that its content survives the switch without ownership transfers.
  Buffer(std::shared_ptr<Context> ctx, uint64_t bytes, Memory where, bool both_queues = false);
  ~Buffer();
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;

  VkBuffer handle() const { return buffer_; }
  uint64_t bytes() const { return bytes_; }
  // The host's view of a Memory::host buffer; nullptr for a device buffer.
  void* mapped() const { return mapped_; }
  // Which memory type was chosen, in words ("DEVICE_LOCAL|HOST_VISIBLE|...").
  std::string memory_flags() const;

 private:
  std::shared_ptr<Context> ctx_;
  uint64_t bytes_;
  VkBuffer buffer_ = VK_NULL_HANDLE;
  VkDeviceMemory memory_ = VK_NULL_HANDLE;
  VkMemoryPropertyFlags flags_ = 0;
  void* mapped_ = nullptr;
};

// Copies between the host and a device buffer through a host-visible staging buffer, in pieces of at
// most 64 MiB so that staging never doubles a large array's footprint.
// Each runs on queue q, the queue that later uses the buffer.
void upload(Context& ctx, const Buffer& dst, const void* src, uint64_t bytes, uint64_t dst_offset = 0,
            QueueKind q = QueueKind::compute);
void download(Context& ctx, const Buffer& src, void* dst, uint64_t bytes, uint64_t src_offset = 0,
              QueueKind q = QueueKind::compute);
// Fills `bytes` of `dst` from `offset` with the 32-bit `word` (vkCmdFillBuffer): poisoning outputs.
void fill_words(Context& ctx, const Buffer& dst, uint32_t word, uint64_t bytes = VK_WHOLE_SIZE, uint64_t offset = 0,
                QueueKind q = QueueKind::compute);

}  // namespace specgap::vulkan
