#include "backends/vulkan/describe.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "core/pci_address.h"
#include "probe/vulkan.h"

namespace specgap::vulkan {
namespace {

std::string version_text(uint32_t v) {
  return fmt::format("{}.{}.{}", VK_API_VERSION_MAJOR(v), VK_API_VERSION_MINOR(v), VK_API_VERSION_PATCH(v));
}

}  // namespace

backends::DeviceInfo describe_device(const Context& ctx) {
  const VkPhysicalDeviceProperties& p = ctx.properties();
  const InstanceApi& vk = ctx.instance().api();
  backends::DeviceInfo d;
  d.id = ctx.id();
  d.backend = "vulkan";
  switch (p.deviceType) {
    case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU: d.kind = "apu"; break;
    case VK_PHYSICAL_DEVICE_TYPE_CPU: d.kind = "software"; break;
    default: d.kind = "gpu"; break;  // discrete, virtual (a GPU passed to a VM), other
  }
  d.unified_memory = ctx.unified_memory();
  d.name = p.deviceName;
  d.vendor = vulkan_vendor_name(p.vendorID);
  d.api = "Vulkan " + version_text(p.apiVersion);
  d.timer = ctx.timer(QueueKind::compute);
  d.max_buffer_bytes = ctx.max_buffer_bytes();
  const VkPhysicalDeviceMemoryProperties& m = ctx.memory();
  // The largest device-local heap, never a sum: an APU's heaps can describe the same DRAM twice.
  for (uint32_t h = 0; h < m.memoryHeapCount; ++h)
    if (m.memoryHeaps[h].flags & VK_MEMORY_HEAP_DEVICE_LOCAL_BIT)
      d.memory_bytes = std::max<uint64_t>(d.memory_bytes, m.memoryHeaps[h].size);

  VkPhysicalDeviceDriverProperties driver{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_DRIVER_PROPERTIES};
  VkPhysicalDeviceSubgroupProperties subgroup{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SUBGROUP_PROPERTIES, &driver};
  VkPhysicalDeviceShaderCoreProperties2AMD amd{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SHADER_CORE_PROPERTIES_2_AMD};
  VkPhysicalDeviceShaderSMBuiltinsPropertiesNV nv{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SHADER_SM_BUILTINS_PROPERTIES_NV};
  // Only structures of extensions the device has may be chained.
  void* chain = &subgroup;
  if (ctx.has_extension(VK_AMD_SHADER_CORE_PROPERTIES_2_EXTENSION_NAME)) amd.pNext = chain, chain = &amd;
  if (ctx.has_extension(VK_NV_SHADER_SM_BUILTINS_EXTENSION_NAME)) nv.pNext = chain, chain = &nv;
  VkPhysicalDevicePCIBusInfoPropertiesEXT pci{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PCI_BUS_INFO_PROPERTIES_EXT};
  const bool has_pci = ctx.has_extension(VK_EXT_PCI_BUS_INFO_EXTENSION_NAME);
  if (has_pci) pci.pNext = chain, chain = &pci;
  VkPhysicalDeviceProperties2 p2{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2, chain};
  vk.vkGetPhysicalDeviceProperties2(ctx.physical(), &p2);
  d.driver = fmt::format("{} ({})", driver.driverName, driver.driverInfo);
  // How telemetry (NVML, amdgpu), which numbers GPUs its own way, finds this one.
  if (has_pci) d.pci_address = pci_address(pci.pciDomain, pci.pciBus, pci.pciDevice, pci.pciFunction);
  d.compute_units = int(amd.activeComputeUnitCount ? amd.activeComputeUnitCount : nv.shaderSMCount);

  const Features& f = ctx.features();
  d.extra = {{"features",
              {{"shaderFloat16", f.float16},
               {"shaderFloat64", f.float64},
               {"shaderInt8", f.int8},
               {"storageBuffer16BitAccess", f.storage16},
               {"storageBuffer8BitAccess", f.storage8},
               {"vulkanMemoryModel", f.memory_model},
               {"integer_dot_product", f.integer_dot},
               {"integerDotProduct4x8BitPackedSignedAccelerated", f.integer_dot_accelerated},
               {"cooperative_matrix", f.cooperative_matrix}}},
             {"subgroup_size", subgroup.subgroupSize},
             {"timestamp_period_ns", p.limits.timestampPeriod},
             {"transfer_queue", ctx.has_transfer_queue()}};
  if (f.cooperative_matrix) {
    // "fp16 x fp16 + fp32 -> fp32 16x16x16", one per shape the driver lists, its preferred ones first.
    nlohmann::json& shapes = d.extra["cooperative_matrix_types"] = nlohmann::json::array();
    for (const MatrixShape& s : f.matrix_shapes) shapes.push_back(s.text());
  }
  return d;
}

}  // namespace specgap::vulkan
