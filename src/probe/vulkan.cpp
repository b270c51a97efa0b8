// list_vulkan_devices: the loader is opened with dlopen and every entry point is fetched through
// vkGetInstanceProcAddr (VK_NO_PROTOTYPES), so nothing links against libvulkan. The headers come from
// Debian's libvulkan-dev; a build without them still lists no device and says why.
#include "probe/vulkan.h"

#include <fmt/format.h>

namespace specgap {

std::string vulkan_vendor_name(uint32_t vendor_id) {
  // PCI-SIG vendor ids, and Khronos' VkVendorId for vendors without one (Mesa's software devices).
  switch (vendor_id) {
    case 0x10de: return "NVIDIA";
    case 0x1002: return "AMD";
    case 0x1022: return "AMD";
    case 0x8086: return "Intel";
    case 0x13b5: return "Arm";
    case 0x5143: return "Qualcomm";
    case 0x106b: return "Apple";
    case 0x1010: return "Imagination";
    case 0x10005: return "Mesa";
  }
  return fmt::format("unknown (0x{:04x})", vendor_id);
}

}  // namespace specgap

#if !__has_include(<vulkan/vulkan.h>)

namespace specgap {
VulkanList list_vulkan_devices(const std::string&) {
  return {{}, "this build has no Vulkan headers (Debian's libvulkan-dev), so it lists no Vulkan device"};
}
}  // namespace specgap

#else

#define VK_NO_PROTOTYPES
#include <dlfcn.h>
#include <vulkan/vulkan.h>

#include <algorithm>
#include <memory>

namespace specgap {
namespace {

struct Library {
  void* handle = nullptr;
  ~Library() {
    if (handle) dlclose(handle);
  }
};

// The instance-level entry points used here, fetched once the instance exists.
struct Instance {
  VkInstance handle = VK_NULL_HANDLE;
  PFN_vkDestroyInstance destroy = nullptr;
  ~Instance() {
    if (handle && destroy) destroy(handle, nullptr);
  }
};

template <class Fn>
Fn entry(PFN_vkGetInstanceProcAddr get, VkInstance instance, const char* name) {
  return reinterpret_cast<Fn>(get(instance, name));
}

std::string version_text(uint32_t v) {
  return fmt::format("{}.{}.{}", VK_API_VERSION_MAJOR(v), VK_API_VERSION_MINOR(v), VK_API_VERSION_PATCH(v));
}

const char* kind_of(VkPhysicalDeviceType t) {
  switch (t) {
    case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU: return "apu";
    case VK_PHYSICAL_DEVICE_TYPE_CPU: return "software";
    default: return "gpu";  // discrete, virtual (a GPU passed to a VM) and other
  }
}

}  // namespace

VulkanList list_vulkan_devices(const std::string& library) {
  VulkanList out;
  Library lib;
  lib.handle = dlopen(library.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!lib.handle) {
    out.note = "no Vulkan loader: " + library + " could not be opened";
    return out;
  }
  const auto get = reinterpret_cast<PFN_vkGetInstanceProcAddr>(dlsym(lib.handle, "vkGetInstanceProcAddr"));
  if (!get) {
    out.note = library + " has no vkGetInstanceProcAddr: not a Vulkan loader";
    return out;
  }
  // The instance asks for the newest version both the loader and specgap know; each device then
  // says its own, and Vulkan 1.1/1.2 structures are read only from devices that have them.
  uint32_t loader_version = VK_API_VERSION_1_0;
  if (const auto enumerate_version = entry<PFN_vkEnumerateInstanceVersion>(get, nullptr, "vkEnumerateInstanceVersion"))
    enumerate_version(&loader_version);
  const auto create = entry<PFN_vkCreateInstance>(get, nullptr, "vkCreateInstance");
  if (!create) {
    out.note = library + " has no vkCreateInstance";
    return out;
  }
  VkApplicationInfo app{};
  app.sType = VK_STRUCTURE_TYPE_APPLICATION_INFO;
  app.pApplicationName = "specgap";
  app.apiVersion = std::min<uint32_t>(loader_version, VK_API_VERSION_1_3);
  VkInstanceCreateInfo info{};
  info.sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO;
  info.pApplicationInfo = &app;
  Instance instance;
  if (const VkResult r = create(&info, nullptr, &instance.handle); r != VK_SUCCESS) {
    instance.handle = VK_NULL_HANDLE;
    out.note = fmt::format("the Vulkan loader could not create an instance (VkResult {}): no driver installed?", int(r));
    return out;
  }
  instance.destroy = entry<PFN_vkDestroyInstance>(get, instance.handle, "vkDestroyInstance");
  const auto enumerate = entry<PFN_vkEnumeratePhysicalDevices>(get, instance.handle, "vkEnumeratePhysicalDevices");
  const auto properties = entry<PFN_vkGetPhysicalDeviceProperties>(get, instance.handle, "vkGetPhysicalDeviceProperties");
  const auto properties2 = app.apiVersion >= VK_API_VERSION_1_1
                               ? entry<PFN_vkGetPhysicalDeviceProperties2>(get, instance.handle, "vkGetPhysicalDeviceProperties2")
                               : nullptr;
  const auto memory = entry<PFN_vkGetPhysicalDeviceMemoryProperties>(get, instance.handle,
                                                                      "vkGetPhysicalDeviceMemoryProperties");
  const auto queues = entry<PFN_vkGetPhysicalDeviceQueueFamilyProperties>(get, instance.handle,
                                                                           "vkGetPhysicalDeviceQueueFamilyProperties");
  if (!instance.destroy || !enumerate || !properties || !memory || !queues) {
    out.note = library + " lacks a Vulkan 1.0 instance function";
    return out;
  }
  uint32_t count = 0;
  if (enumerate(instance.handle, &count, nullptr) != VK_SUCCESS || count == 0) {
    out.note = "the Vulkan loader lists no device (no driver for this machine's GPUs, nor Mesa's lavapipe)";
    return out;
  }
  std::vector<VkPhysicalDevice> devices(count);
  if (enumerate(instance.handle, &count, devices.data()) < 0) {
    out.note = "the Vulkan loader failed to list its devices";
    return out;
  }
  devices.resize(count);
  for (uint32_t i = 0; i < count; ++i) {
    VkPhysicalDeviceProperties p{};
    properties(devices[i], &p);
    VulkanDeviceInfo d;
    d.index = int(i);
    d.name = p.deviceName;
    d.vendor_id = p.vendorID;
    d.device_id = p.deviceID;
    d.vendor = vulkan_vendor_name(p.vendorID);
    d.kind = kind_of(p.deviceType);
    d.api_version = version_text(p.apiVersion);
    d.driver = fmt::format("driver version 0x{:x}", p.driverVersion);  // its encoding is the vendor's own
    d.timestamp_period_ns = p.limits.timestampPeriod;
    if (properties2 && p.apiVersion >= VK_API_VERSION_1_1) {
      VkPhysicalDeviceDriverProperties driver{};
      driver.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_DRIVER_PROPERTIES;
      VkPhysicalDeviceSubgroupProperties subgroup{};
      subgroup.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SUBGROUP_PROPERTIES;
      subgroup.pNext = p.apiVersion >= VK_API_VERSION_1_2 ? &driver : nullptr;
      VkPhysicalDeviceProperties2 p2{};
      p2.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2;
      p2.pNext = &subgroup;
      properties2(devices[i], &p2);
      d.subgroup_size = subgroup.subgroupSize;
      if (subgroup.pNext) d.driver = fmt::format("{} ({})", driver.driverName, driver.driverInfo);
    }
    VkPhysicalDeviceMemoryProperties mem{};
    memory(devices[i], &mem);
    for (uint32_t h = 0; h < mem.memoryHeapCount; ++h)
      if (mem.memoryHeaps[h].flags & VK_MEMORY_HEAP_DEVICE_LOCAL_BIT)
        d.device_local_bytes = std::max<uint64_t>(d.device_local_bytes, mem.memoryHeaps[h].size);
    uint32_t families = 0;
    queues(devices[i], &families, nullptr);
    std::vector<VkQueueFamilyProperties> family(families);
    queues(devices[i], &families, family.data());
    for (const auto& f : family)
      if ((f.queueFlags & VK_QUEUE_COMPUTE_BIT) && f.timestampValidBits > 0) d.timestamps = true;
    d.timestamps = d.timestamps && d.timestamp_period_ns > 0;
    out.devices.push_back(std::move(d));
  }
  return out;
}

}  // namespace specgap

#endif
