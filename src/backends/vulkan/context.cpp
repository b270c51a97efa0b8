#include "backends/vulkan/context.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/clock.h"
#include "core/error.h"

namespace specgap::vulkan {
namespace {

// Every wait allows this much beyond the expected time before it calls the device hung.
constexpr double kWaitGraceSeconds = 10.0;

}  // namespace

Context::Context(std::shared_ptr<const Instance> instance, VkPhysicalDevice physical, std::string id)
    : instance_(std::move(instance)), physical_(physical), id_(std::move(id)) {
  const InstanceApi& vk = instance_->api();
  vk.vkGetPhysicalDeviceProperties(physical_, &properties_);
  vk.vkGetPhysicalDeviceMemoryProperties(physical_, &memory_);
  // The shaders are SPIR-V 1.5 (glslc --target-env=vulkan1.2), which only a Vulkan 1.2 device takes.
  if (properties_.apiVersion < VK_API_VERSION_1_2)
    throw Error(fmt::format("{} ({}) offers Vulkan {}.{}; specgap's kernels need Vulkan 1.2", id_,
                            properties_.deviceName, VK_API_VERSION_MAJOR(properties_.apiVersion),
                            VK_API_VERSION_MINOR(properties_.apiVersion)));

  VkPhysicalDeviceMaintenance3Properties maintenance3{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MAINTENANCE_3_PROPERTIES};
  VkPhysicalDeviceProperties2 properties2{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2, &maintenance3};
  vk.vkGetPhysicalDeviceProperties2(physical_, &properties2);
  max_allocation_bytes_ = maintenance3.maxMemoryAllocationSize;
  max_buffer_bytes_ = std::min<uint64_t>(properties_.limits.maxStorageBufferRange, max_allocation_bytes_);

  uint32_t count = 0;
  vk.vkEnumerateDeviceExtensionProperties(physical_, nullptr, &count, nullptr);
  std::vector<VkExtensionProperties> extensions(count);
  vk.vkEnumerateDeviceExtensionProperties(physical_, nullptr, &count, extensions.data());
  for (uint32_t i = 0; i < count; ++i) extensions_.push_back(extensions[i].extensionName);

  // The integer dot product's structures may be chained only where the device knows them: as the
  // extension, or as core Vulkan 1.3 (the instance asks for 1.3 whenever the loader has it).
  const bool dot_extension = has_extension(VK_KHR_SHADER_INTEGER_DOT_PRODUCT_EXTENSION_NAME);
  const bool dot_known = dot_extension || properties_.apiVersion >= VK_API_VERSION_1_3;
  const bool matrix_extension = has_extension("VK_KHR_cooperative_matrix");
  CooperativeMatrixFeatures matrix;
  VkPhysicalDeviceShaderIntegerDotProductFeatures dot{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SHADER_INTEGER_DOT_PRODUCT_FEATURES,
                                                      matrix_extension ? &matrix : nullptr};
  void* after_v11 = dot_known ? static_cast<void*>(&dot) : matrix_extension ? static_cast<void*>(&matrix) : nullptr;
  VkPhysicalDeviceVulkan11Features v11{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_1_FEATURES, after_v11};
  VkPhysicalDeviceVulkan12Features v12{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES, &v11};
  VkPhysicalDeviceFeatures2 supported{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2, &v12};
  vk.vkGetPhysicalDeviceFeatures2(physical_, &supported);
  features_.float16 = v12.shaderFloat16;
  features_.int8 = v12.shaderInt8;
  features_.float64 = supported.features.shaderFloat64;
  features_.storage16 = v11.storageBuffer16BitAccess;
  features_.integer_dot = dot.shaderIntegerDotProduct;
  features_.storage8 = v12.storageBuffer8BitAccess;
  features_.memory_model = v12.vulkanMemoryModel;
  features_.cooperative_matrix = matrix_extension && matrix.cooperativeMatrix;
  if (features_.cooperative_matrix) features_.matrix_shapes = query_matrix_shapes(*instance_, physical_);
  if (features_.integer_dot) {
    VkPhysicalDeviceShaderIntegerDotProductProperties dot_properties{
        VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SHADER_INTEGER_DOT_PRODUCT_PROPERTIES};
    VkPhysicalDeviceProperties2 with_dot{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2, &dot_properties};
    vk.vkGetPhysicalDeviceProperties2(physical_, &with_dot);
    features_.integer_dot_accelerated = dot_properties.integerDotProduct4x8BitPackedSignedAccelerated;
  }

  // Enable exactly the features the kernels may use, and nothing the device lacks.
  CooperativeMatrixFeatures enable_matrix;
  enable_matrix.cooperativeMatrix = VK_TRUE;
  void* const matrix_chain = features_.cooperative_matrix ? &enable_matrix : nullptr;
  VkPhysicalDeviceShaderIntegerDotProductFeatures enable_dot{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SHADER_INTEGER_DOT_PRODUCT_FEATURES,
                                                             matrix_chain};
  enable_dot.shaderIntegerDotProduct = dot.shaderIntegerDotProduct;
  VkPhysicalDeviceVulkan11Features enable11{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_1_FEATURES,
                                            features_.integer_dot ? &enable_dot : matrix_chain};
  enable11.storageBuffer16BitAccess = v11.storageBuffer16BitAccess;
  VkPhysicalDeviceVulkan12Features enable12{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES, &enable11};
  enable12.shaderFloat16 = v12.shaderFloat16;
  enable12.shaderInt8 = v12.shaderInt8;
  enable12.storageBuffer8BitAccess = v12.storageBuffer8BitAccess;
  enable12.vulkanMemoryModel = v12.vulkanMemoryModel;
  VkPhysicalDeviceFeatures2 enable{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2, &enable12};
  enable.features.shaderFloat64 = supported.features.shaderFloat64;

  // The compute queue: the first family with compute, preferring one with timestamps. The transfer
  // queue: a family with transfer and neither graphics nor compute (a DMA engine), when one exists.
  vk.vkGetPhysicalDeviceQueueFamilyProperties(physical_, &count, nullptr);
  std::vector<VkQueueFamilyProperties> families(count);
  vk.vkGetPhysicalDeviceQueueFamilyProperties(physical_, &count, families.data());
  uint32_t compute = UINT32_MAX, transfer = UINT32_MAX;
  for (uint32_t f = 0; f < count; ++f) {
    const VkQueueFlags flags = families[f].queueFlags;
    if ((flags & VK_QUEUE_COMPUTE_BIT) &&
        (compute == UINT32_MAX || (families[compute].timestampValidBits == 0 && families[f].timestampValidBits > 0)))
      compute = f;
    if ((flags & VK_QUEUE_TRANSFER_BIT) && !(flags & (VK_QUEUE_GRAPHICS_BIT | VK_QUEUE_COMPUTE_BIT)) &&
        transfer == UINT32_MAX)
      transfer = f;
  }
  if (compute == UINT32_MAX) throw Error(fmt::format("{} ({}) has no compute queue", id_, properties_.deviceName));

  const float priority = 1.0f;
  VkDeviceQueueCreateInfo queue_info[2] = {{VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO}, {VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO}};
  queue_info[0].queueFamilyIndex = compute;
  queue_info[0].queueCount = 1;
  queue_info[0].pQueuePriorities = &priority;
  queue_info[1] = queue_info[0];
  queue_info[1].queueFamilyIndex = transfer;
  VkDeviceCreateInfo info{VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO, &enable};
  // The dot product is enabled as the extension wherever the device lists it: a device older than 1.3
  // has it no other way, and on 1.3 enabling a promoted extension is harmless.
  std::vector<const char*> enabled;
  if (features_.integer_dot && dot_extension) enabled.push_back(VK_KHR_SHADER_INTEGER_DOT_PRODUCT_EXTENSION_NAME);
  if (features_.cooperative_matrix) enabled.push_back("VK_KHR_cooperative_matrix");
  info.enabledExtensionCount = uint32_t(enabled.size());
  info.ppEnabledExtensionNames = enabled.data();
  info.queueCreateInfoCount = transfer == UINT32_MAX ? 1 : 2;
  info.pQueueCreateInfos = queue_info;
  check(vk.vkCreateDevice(physical_, &info, nullptr, &device_), "vkCreateDevice");

#define SPECGAP_VK_LOAD(name)                                                                      \
  api_.name = reinterpret_cast<PFN_##name>(vk.vkGetDeviceProcAddr(device_, #name));               \
  if (!api_.name) throw Error(fmt::format("{}: the Vulkan driver lacks {}", id_, #name));
  SPECGAP_VK_DEVICE_FUNCTIONS(SPECGAP_VK_LOAD)
#undef SPECGAP_VK_LOAD

  open_slot(queues_[0], compute, families[compute].timestampValidBits);
  if (transfer != UINT32_MAX) open_slot(queues_[1], transfer, families[transfer].timestampValidBits);
}

void Context::open_slot(Slot& s, uint32_t family, uint32_t valid_bits) {
  s.family = family;
  api_.vkGetDeviceQueue(device_, family, 0, &s.queue);
  VkCommandPoolCreateInfo pool{VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
  pool.flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT;
  pool.queueFamilyIndex = family;
  check(api_.vkCreateCommandPool(device_, &pool, nullptr, &s.pool), "vkCreateCommandPool");
  VkCommandBufferAllocateInfo alloc{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
  alloc.commandPool = s.pool;
  alloc.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
  alloc.commandBufferCount = 1;
  check(api_.vkAllocateCommandBuffers(device_, &alloc, &s.cmd), "vkAllocateCommandBuffers");
  VkFenceCreateInfo fence{VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
  check(api_.vkCreateFence(device_, &fence, nullptr, &s.fence), "vkCreateFence");
  if (valid_bits > 0 && properties_.limits.timestampPeriod > 0) {
    VkQueryPoolCreateInfo query{VK_STRUCTURE_TYPE_QUERY_POOL_CREATE_INFO};
    query.queryType = VK_QUERY_TYPE_TIMESTAMP;
    query.queryCount = 2;
    check(api_.vkCreateQueryPool(device_, &query, nullptr, &s.timestamps), "vkCreateQueryPool");
    s.valid_mask = valid_bits >= 64 ? ~uint64_t{0} : (uint64_t{1} << valid_bits) - 1;
  }
}

Context::~Context() {
  if (!device_) return;
  // A device that hung or was lost may never go idle: leak its objects rather than hang on exit.
  if (wedged_ || api_.vkDeviceWaitIdle(device_) != VK_SUCCESS) return;
  for (Slot& s : queues_) {
    if (s.timestamps) api_.vkDestroyQueryPool(device_, s.timestamps, nullptr);
    if (s.fence) api_.vkDestroyFence(device_, s.fence, nullptr);
    if (s.pool) api_.vkDestroyCommandPool(device_, s.pool, nullptr);
  }
  api_.vkDestroyDevice(device_, nullptr);
}

bool Context::has_extension(std::string_view name) const {
  return std::find(extensions_.begin(), extensions_.end(), name) != extensions_.end();
}

std::string Context::timer(QueueKind q) const {
  return has_timestamps(q) ? "device timestamps" : "host monotonic clock";
}

void Context::check(VkResult r, const char* call) const {
  if (r == VK_SUCCESS) return;
  if (r == VK_ERROR_DEVICE_LOST) throw Error(fmt::format("{} was lost (VK_ERROR_DEVICE_LOST) during {}", id_, call));
  throw Error(fmt::format("{} failed on {}: {}", call, id_, result_name(r)));
}

void Context::barrier(VkCommandBuffer cmd, bool to_host, QueueKind q) const {
  VkMemoryBarrier b{VK_STRUCTURE_TYPE_MEMORY_BARRIER};
  b.srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_WRITE_BIT;
  b.dstAccessMask = VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_READ_BIT |
                    VK_ACCESS_TRANSFER_WRITE_BIT | (to_host ? VK_ACCESS_HOST_READ_BIT : 0);
  const VkPipelineStageFlags stages =
      VK_PIPELINE_STAGE_TRANSFER_BIT | (q == QueueKind::compute ? VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT : 0);
  api_.vkCmdPipelineBarrier(cmd, stages, stages | (to_host ? VK_PIPELINE_STAGE_HOST_BIT : 0), 0, 1, &b, 0, nullptr, 0,
                            nullptr);
}

void Context::begin(Slot& s) {
  check(api_.vkResetCommandBuffer(s.cmd, 0), "vkResetCommandBuffer");
  VkCommandBufferBeginInfo begin{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
  begin.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
  check(api_.vkBeginCommandBuffer(s.cmd, &begin), "vkBeginCommandBuffer");
}

void Context::submit(Slot& s) {
  check(api_.vkEndCommandBuffer(s.cmd), "vkEndCommandBuffer");
  check(api_.vkResetFences(device_, 1, &s.fence), "vkResetFences");
  VkSubmitInfo submit{VK_STRUCTURE_TYPE_SUBMIT_INFO};
  submit.commandBufferCount = 1;
  submit.pCommandBuffers = &s.cmd;
  check(api_.vkQueueSubmit(s.queue, 1, &submit, s.fence), "vkQueueSubmit");
}

void Context::wait(Slot& s, double expected_seconds, const char* what) {
  const double limit_s = kWaitGraceSeconds + std::max(0.0, expected_seconds);
  const VkResult r = api_.vkWaitForFences(device_, 1, &s.fence, VK_TRUE, uint64_t(limit_s * 1e9));
  if (r == VK_TIMEOUT) {
    wedged_ = true;
    throw Error(fmt::format("{} did not finish {} within {:.0f} s: the device hangs or is far slower than expected",
                            id_, what, limit_s));
  }
  if (r == VK_ERROR_DEVICE_LOST) wedged_ = true;
  check(r, what);
}

Timing Context::run(QueueKind q, const std::function<void(VkCommandBuffer)>& record, double expected_seconds) {
  Slot& s = slot(q);
  if (!s.queue) throw Error(fmt::format("{} has no transfer-only queue", id_));
  begin(s);
  if (s.timestamps) {
    api_.vkCmdResetQueryPool(s.cmd, s.timestamps, 0, 2);
    api_.vkCmdWriteTimestamp(s.cmd, VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT, s.timestamps, 0);
  }
  record(s.cmd);
  // BOTTOM_OF_PIPE: written once every earlier command of the buffer has completed.
  if (s.timestamps) api_.vkCmdWriteTimestamp(s.cmd, VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT, s.timestamps, 1);
  Timing t;
  const int64_t host0 = monotonic_ns();
  submit(s);
  wait(s, expected_seconds, "vkWaitForFences");
  t.host_ns = monotonic_ns() - host0;
  t.ns = t.host_ns;
  if (s.timestamps) {
    uint64_t ticks[2] = {0, 0};
    check(api_.vkGetQueryPoolResults(device_, s.timestamps, 0, 2, sizeof ticks, ticks, sizeof(uint64_t),
                                     VK_QUERY_RESULT_64_BIT | VK_QUERY_RESULT_WAIT_BIT),
          "vkGetQueryPoolResults");
    const uint64_t delta = (ticks[1] - ticks[0]) & s.valid_mask;
    t.ns = std::llround(double(delta) * properties_.limits.timestampPeriod);
  }
  return t;
}

Timing Context::run_both(const std::function<void(VkCommandBuffer)>& on_compute,
                         const std::function<void(VkCommandBuffer)>& on_transfer, double expected_seconds) {
  Slot& c = slot(QueueKind::compute);
  Slot& x = slot(QueueKind::transfer);
  if (!x.queue) throw Error(fmt::format("{} has no transfer-only queue", id_));
  begin(c);
  on_compute(c.cmd);
  begin(x);
  on_transfer(x.cmd);
  const int64_t host0 = monotonic_ns();
  submit(c);
  submit(x);
  wait(c, expected_seconds, "vkWaitForFences (compute queue)");
  wait(x, expected_seconds, "vkWaitForFences (transfer queue)");
  Timing t;
  t.host_ns = t.ns = monotonic_ns() - host0;
  return t;
}

}  // namespace specgap::vulkan
