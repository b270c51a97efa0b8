#pragma once
// The Vulkan entry points this backend calls, fetched at run time from a loader opened with dlopen
// (VK_NO_PROTOTYPES), so that specgap_vulkan never links libvulkan and runs where no loader exists.
// One X-macro list per level: adding a call means adding one line here.
#define VK_NO_PROTOTYPES
#include <vulkan/vulkan.h>

#include <memory>
#include <string>

// Instance-level functions (fetched with vkGetInstanceProcAddr on the instance).
#define SPECGAP_VK_INSTANCE_FUNCTIONS(X)       \
  X(vkDestroyInstance)                         \
  X(vkEnumeratePhysicalDevices)                \
  X(vkGetPhysicalDeviceProperties)             \
  X(vkGetPhysicalDeviceProperties2)            \
  X(vkGetPhysicalDeviceFeatures)               \
  X(vkGetPhysicalDeviceFeatures2)              \
  X(vkGetPhysicalDeviceMemoryProperties)       \
  X(vkGetPhysicalDeviceQueueFamilyProperties)  \
  X(vkEnumerateDeviceExtensionProperties)      \
  X(vkCreateDevice)                            \
  X(vkGetDeviceProcAddr)

// Device-level functions (fetched with vkGetDeviceProcAddr on each device).
#define SPECGAP_VK_DEVICE_FUNCTIONS(X) \
  X(vkDestroyDevice)                   \
  X(vkGetDeviceQueue)                  \
  X(vkDeviceWaitIdle)                  \
  X(vkQueueSubmit)                     \
  X(vkCreateCommandPool)               \
  X(vkDestroyCommandPool)              \
  X(vkAllocateCommandBuffers)          \
  X(vkBeginCommandBuffer)              \
  X(vkEndCommandBuffer)                \
  X(vkResetCommandBuffer)              \
  X(vkCreateFence)                     \
  X(vkDestroyFence)                    \
  X(vkWaitForFences)                   \
  X(vkResetFences)                     \
  X(vkCreateQueryPool)                 \
  X(vkDestroyQueryPool)                \
  X(vkGetQueryPoolResults)             \
  X(vkCreateBuffer)                    \
  X(vkDestroyBuffer)                   \
  X(vkGetBufferMemoryRequirements)     \
  X(vkAllocateMemory)                  \
  X(vkFreeMemory)                      \
  X(vkBindBufferMemory)                \
  X(vkMapMemory)                       \
  X(vkUnmapMemory)                     \
  X(vkCreateShaderModule)              \
  X(vkDestroyShaderModule)             \
  X(vkCreateDescriptorSetLayout)       \
  X(vkDestroyDescriptorSetLayout)      \
  X(vkCreatePipelineLayout)            \
  X(vkDestroyPipelineLayout)           \
  X(vkCreateComputePipelines)          \
  X(vkDestroyPipeline)                 \
  X(vkCreateDescriptorPool)            \
  X(vkDestroyDescriptorPool)           \
  X(vkAllocateDescriptorSets)          \
  X(vkUpdateDescriptorSets)            \
  X(vkCmdBindPipeline)                 \
  X(vkCmdBindDescriptorSets)           \
  X(vkCmdPushConstants)                \
  X(vkCmdDispatch)                     \
  X(vkCmdPipelineBarrier)              \
  X(vkCmdCopyBuffer)                   \
  X(vkCmdFillBuffer)                   \
  X(vkCmdResetQueryPool)               \
  X(vkCmdWriteTimestamp)

namespace specgap::vulkan {

#define SPECGAP_VK_MEMBER(name) PFN_##name name = nullptr;
struct InstanceApi {
  SPECGAP_VK_INSTANCE_FUNCTIONS(SPECGAP_VK_MEMBER)
};
struct DeviceApi {
  SPECGAP_VK_DEVICE_FUNCTIONS(SPECGAP_VK_MEMBER)
};
#undef SPECGAP_VK_MEMBER

// The loader library, one instance on it and the instance's functions; shared by every device of
// the instance and destroyed after the last.
class Instance {
 public:
  // Opens `library` and creates an instance. Never throws: on failure, handle() is null and
  // why_not() says why in one line (the note open_devices records).
  explicit Instance(const std::string& library);
  ~Instance();
  Instance(const Instance&) = delete;
  Instance& operator=(const Instance&) = delete;

  VkInstance handle() const { return instance_; }
  const std::string& why_not() const { return why_not_; }
  const InstanceApi& api() const { return api_; }
  // Looks an optional instance function up by name (extensions); nullptr when absent.
  PFN_vkVoidFunction function(const char* name) const;

 private:
  void* library_ = nullptr;
  PFN_vkGetInstanceProcAddr get_ = nullptr;
  VkInstance instance_ = VK_NULL_HANDLE;
  InstanceApi api_;
  std::string why_not_;
};

// The name Khronos gives a VkResult ("VK_ERROR_DEVICE_LOST"), or its number.
std::string result_name(VkResult r);

}  // namespace specgap::vulkan
