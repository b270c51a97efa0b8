// Vulkan discovery: the loader is opened at run time, every device described, and every way it can be
// missing is one line. `make deps` installs the loader and Mesa's lavapipe, a software device that
// exists on every machine, so the list is never empty where the suite runs.
#include <gtest/gtest.h>

#include <algorithm>

#include "probe/vulkan.h"

namespace specgap {
namespace {

TEST(VulkanDevices, LavapipeIsListedAsASoftwareDeviceWithTimestamps) {
  const VulkanList list = list_vulkan_devices();
  ASSERT_FALSE(list.devices.empty()) << list.note;
  EXPECT_TRUE(list.note.empty()) << list.note;
  const auto soft = std::find_if(list.devices.begin(), list.devices.end(),
                                 [](const VulkanDeviceInfo& d) { return d.name.find("llvmpipe") != std::string::npos; });
  ASSERT_NE(soft, list.devices.end()) << "no lavapipe (llvmpipe) among " << list.devices.size() << " devices";
  EXPECT_EQ(soft->kind, "software");
  EXPECT_EQ(soft->vendor, "Mesa");
  EXPECT_TRUE(soft->timestamps);
  EXPECT_GT(soft->timestamp_period_ns, 0);
  EXPECT_GT(soft->device_local_bytes, 0u);
  EXPECT_GT(soft->subgroup_size, 0u);
  EXPECT_EQ(soft->api_version.rfind("1.", 0), 0u) << soft->api_version;
  EXPECT_NE(soft->driver.find("llvmpipe"), std::string::npos) << soft->driver;
  for (size_t i = 0; i < list.devices.size(); ++i) EXPECT_EQ(list.devices[i].index, int(i));
}

TEST(VulkanDevices, AMissingLoaderIsOneLine) {
  const VulkanList list = list_vulkan_devices("/nonexistent/libvulkan.so.1");
  EXPECT_TRUE(list.devices.empty());
  EXPECT_NE(list.note.find("no Vulkan loader"), std::string::npos) << list.note;
  EXPECT_EQ(list.note.find('\n'), std::string::npos);
}

TEST(VulkanDevices, ALibraryThatIsNoLoaderIsOneLine) {
  const VulkanList list = list_vulkan_devices("libm.so.6");
  EXPECT_TRUE(list.devices.empty());
  EXPECT_NE(list.note.find("not a Vulkan loader"), std::string::npos) << list.note;
}

TEST(VulkanDevices, VendorsByPciId) {
  EXPECT_EQ(vulkan_vendor_name(0x10de), "NVIDIA");
  EXPECT_EQ(vulkan_vendor_name(0x1002), "AMD");
  EXPECT_EQ(vulkan_vendor_name(0x8086), "Intel");
  EXPECT_EQ(vulkan_vendor_name(0x10005), "Mesa");
  EXPECT_EQ(vulkan_vendor_name(0x1234), "unknown (0x1234)");
}

}  // namespace
}  // namespace specgap
