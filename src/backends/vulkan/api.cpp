#include "backends/vulkan/api.h"

#include <dlfcn.h>
#include <fmt/format.h>

#include <algorithm>

namespace specgap::vulkan {

Instance::Instance(const std::string& library) {
  library_ = dlopen(library.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!library_) {
    why_not_ = "no Vulkan loader: " + library + " could not be opened";
    return;
  }
  get_ = reinterpret_cast<PFN_vkGetInstanceProcAddr>(dlsym(library_, "vkGetInstanceProcAddr"));
  if (!get_) {
    why_not_ = library + " has no vkGetInstanceProcAddr: not a Vulkan loader";
    return;
  }
  // Vulkan 1.2 is the least this backend asks of a device (its shaders target 1.2); the instance
  // asks for the newest version both the loader and the headers know.
  uint32_t api_version = VK_API_VERSION_1_0;
  if (auto enumerate = reinterpret_cast<PFN_vkEnumerateInstanceVersion>(get_(nullptr, "vkEnumerateInstanceVersion")))
    enumerate(&api_version);
  if (api_version < VK_API_VERSION_1_1) {
    why_not_ = "the Vulkan loader is older than Vulkan 1.1";
    return;
  }
  api_version = std::min<uint32_t>(api_version, VK_API_VERSION_1_3);
  auto create = reinterpret_cast<PFN_vkCreateInstance>(get_(nullptr, "vkCreateInstance"));
  VkApplicationInfo app{VK_STRUCTURE_TYPE_APPLICATION_INFO};
  app.pApplicationName = "specgap";
  app.apiVersion = api_version;
  VkInstanceCreateInfo info{VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO};
  info.pApplicationInfo = &app;
  if (!create) {
    why_not_ = library + " has no vkCreateInstance";
    return;
  }
  if (const VkResult r = create(&info, nullptr, &instance_); r != VK_SUCCESS) {
    instance_ = VK_NULL_HANDLE;
    why_not_ = "the Vulkan loader could not create an instance (" + result_name(r) + "): no driver installed?";
    return;
  }
#define SPECGAP_VK_LOAD(name)                                                   \
  api_.name = reinterpret_cast<PFN_##name>(get_(instance_, #name));            \
  if (!api_.name && why_not_.empty()) why_not_ = library + " lacks " #name;
  SPECGAP_VK_INSTANCE_FUNCTIONS(SPECGAP_VK_LOAD)
#undef SPECGAP_VK_LOAD
}

Instance::~Instance() {
  if (instance_ && api_.vkDestroyInstance) api_.vkDestroyInstance(instance_, nullptr);
  if (library_) dlclose(library_);
}

PFN_vkVoidFunction Instance::function(const char* name) const {
  return instance_ ? get_(instance_, name) : nullptr;
}

std::string result_name(VkResult r) {
  switch (r) {
#define SPECGAP_VK_RESULT(name) \
  case name: return #name;
    SPECGAP_VK_RESULT(VK_SUCCESS)
    SPECGAP_VK_RESULT(VK_NOT_READY)
    SPECGAP_VK_RESULT(VK_TIMEOUT)
    SPECGAP_VK_RESULT(VK_INCOMPLETE)
    SPECGAP_VK_RESULT(VK_ERROR_OUT_OF_HOST_MEMORY)
    SPECGAP_VK_RESULT(VK_ERROR_OUT_OF_DEVICE_MEMORY)
    SPECGAP_VK_RESULT(VK_ERROR_INITIALIZATION_FAILED)
    SPECGAP_VK_RESULT(VK_ERROR_DEVICE_LOST)
    SPECGAP_VK_RESULT(VK_ERROR_MEMORY_MAP_FAILED)
    SPECGAP_VK_RESULT(VK_ERROR_LAYER_NOT_PRESENT)
    SPECGAP_VK_RESULT(VK_ERROR_EXTENSION_NOT_PRESENT)
    SPECGAP_VK_RESULT(VK_ERROR_FEATURE_NOT_PRESENT)
    SPECGAP_VK_RESULT(VK_ERROR_INCOMPATIBLE_DRIVER)
    SPECGAP_VK_RESULT(VK_ERROR_TOO_MANY_OBJECTS)
    SPECGAP_VK_RESULT(VK_ERROR_FORMAT_NOT_SUPPORTED)
    SPECGAP_VK_RESULT(VK_ERROR_OUT_OF_POOL_MEMORY)
    SPECGAP_VK_RESULT(VK_ERROR_UNKNOWN)
#undef SPECGAP_VK_RESULT
    default: return fmt::format("VkResult {}", int(r));
  }
}

}  // namespace specgap::vulkan
