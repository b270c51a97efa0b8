#pragma once
// One Vulkan device opened for measuring: its logical device, a compute queue (and a transfer-only
// queue when the device has a DMA queue family), a reusable command buffer, fence and timestamp
// queries per queue, and the one way work is submitted and timed (run). Every failing call becomes a
// one-line specgap::Error naming the device, the call and the VkResult.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "backends/vulkan/api.h"
#include "backends/vulkan/cooperative_matrix.h"

namespace specgap::vulkan {

enum class QueueKind { compute, transfer };

// What the device offers beyond Vulkan 1.2's core, as far as the kernels care.
struct Features {
  bool float16 = false;        // shaderFloat16 (arithmetic)
  bool float64 = false;        // shaderFloat64
  bool int8 = false;           // shaderInt8
  bool storage16 = false;      // storageBuffer16BitAccess (fp16 operands in buffers)
  bool storage8 = false;       // storageBuffer8BitAccess (int8 operands in buffers)
  bool memory_model = false;   // vulkanMemoryModel (which cooperative-matrix shaders must declare)
  bool integer_dot = false;    // shaderIntegerDotProduct (VK_KHR_shader_integer_dot_product / Vulkan 1.3)
  // integerDotProduct4x8BitPackedSignedAccelerated: the driver says the signed packed 4x8-bit dot
  // product runs faster than the equivalent sequence of plain integer instructions.
  bool integer_dot_accelerated = false;
  bool cooperative_matrix = false;  // VK_KHR_cooperative_matrix, its feature enabled
  std::vector<MatrixShape> matrix_shapes;  // what the driver lists for it (empty without it)
};

// How long a submission took: by the queue's timestamps when it has them, and always by the host.
struct Timing {
  int64_t ns = 0;       // device timestamps around the recorded work, else host_ns
  int64_t host_ns = 0;  // host monotonic clock around submit and wait
};

class Context {
 public:
  // Creates the logical device for `physical`, named `id` ("gpu0") in messages. Throws specgap::Error.
  Context(std::shared_ptr<const Instance> instance, VkPhysicalDevice physical, std::string id);
  ~Context();
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  const std::string& id() const { return id_; }
  const DeviceApi& api() const { return api_; }
  VkDevice device() const { return device_; }
  VkPhysicalDevice physical() const { return physical_; }
  const Instance& instance() const { return *instance_; }
  const VkPhysicalDeviceProperties& properties() const { return properties_; }
  const VkPhysicalDeviceMemoryProperties& memory() const { return memory_; }
  const Features& features() const { return features_; }
  bool has_extension(std::string_view name) const;
  // An integrated GPU, or a CPU device such as lavapipe: either way kernels use the host's DRAM.
  bool unified_memory() const { return properties_.deviceType == VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU ||
                                        properties_.deviceType == VK_PHYSICAL_DEVICE_TYPE_CPU; }
  // The largest buffer one kernel may bind: min(maxStorageBufferRange, maxMemoryAllocationSize).
  uint64_t max_buffer_bytes() const { return max_buffer_bytes_; }
  uint64_t max_allocation_bytes() const { return max_allocation_bytes_; }

  bool has_transfer_queue() const { return queues_[1].queue != VK_NULL_HANDLE; }
  bool has_timestamps(QueueKind q) const { return slot(q).timestamps != VK_NULL_HANDLE; }
  // "device timestamps" or "host monotonic clock": what Timing::ns was measured with on queue q.
  std::string timer(QueueKind q) const;
  uint32_t queue_family(QueueKind q) const { return slot(q).family; }

  // Records `record` into the queue's command buffer between two timestamps, submits it, and waits
  // at most 10 s plus `expected_seconds` (a longer wait is an error, never a hang).
  Timing run(QueueKind q, const std::function<void(VkCommandBuffer)>& record, double expected_seconds = 0);
  // Submits `on_compute` to the compute queue and `on_transfer` to the transfer queue together and
  // waits for both; timed by the host clock (two queues' timestamps need not share a time base).
  Timing run_both(const std::function<void(VkCommandBuffer)>& on_compute,
                  const std::function<void(VkCommandBuffer)>& on_transfer, double expected_seconds = 0);

  // Makes every earlier compute or transfer write visible to every later compute or transfer access,
  // and (with to_host) to the host once the submission's fence signals. On the transfer queue, which
  // has no compute stage, it covers transfers only.
  void barrier(VkCommandBuffer cmd, bool to_host = false, QueueKind q = QueueKind::compute) const;

  // Throws specgap::Error "<call> failed on gpu0: VK_ERROR_..." unless r is VK_SUCCESS; a lost device
  // reads "gpu0 was lost (VK_ERROR_DEVICE_LOST) during <call>".
  void check(VkResult r, const char* call) const;

 private:
  struct Slot {
    uint32_t family = UINT32_MAX;
    VkQueue queue = VK_NULL_HANDLE;
    VkCommandPool pool = VK_NULL_HANDLE;
    VkCommandBuffer cmd = VK_NULL_HANDLE;
    VkFence fence = VK_NULL_HANDLE;
    VkQueryPool timestamps = VK_NULL_HANDLE;  // null when the family has no timestamps
    uint64_t valid_mask = 0;
  };
  const Slot& slot(QueueKind q) const { return queues_[q == QueueKind::compute ? 0 : 1]; }
  Slot& slot(QueueKind q) { return queues_[q == QueueKind::compute ? 0 : 1]; }
  void open_slot(Slot& s, uint32_t family, uint32_t valid_bits);
  void begin(Slot& s);
  void submit(Slot& s);
  void wait(Slot& s, double expected_seconds, const char* what);

  std::shared_ptr<const Instance> instance_;
  VkPhysicalDevice physical_;
  std::string id_;
  VkPhysicalDeviceProperties properties_{};
  VkPhysicalDeviceMemoryProperties memory_{};
  Features features_;
  std::vector<std::string> extensions_;
  uint64_t max_buffer_bytes_ = 0, max_allocation_bytes_ = 0;
  VkDevice device_ = VK_NULL_HANDLE;
  DeviceApi api_;
  Slot queues_[2];  // compute, transfer
  // Set when a wait timed out or the device was lost: the destructor then leaks rather than waits.
  bool wedged_ = false;
};

}  // namespace specgap::vulkan
