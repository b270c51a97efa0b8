#include <gtest/gtest.h>

#include <cstdlib>

#include "vulkan/vulkan_fixture.h"

namespace specgap::test {
namespace {

TEST(VulkanDevice, LavapipeIsASoftwareDeviceWithTimestamps) {
  SPECGAP_NEED_LAVAPIPE(device);
  const backends::DeviceInfo& d = device->info();
  EXPECT_EQ(d.backend, "vulkan");
  EXPECT_EQ(d.kind, "software");
  EXPECT_TRUE(d.unified_memory);
  EXPECT_NE(d.name.find("llvmpipe"), std::string::npos) << d.name;
  EXPECT_EQ(d.vendor, "Mesa");
  EXPECT_EQ(d.api.rfind("Vulkan 1.", 0), 0u) << d.api;
  EXPECT_GT(d.memory_bytes, 0u);
  // lavapipe binds at most 128 MiB per storage buffer, below its 2 GiB allocation limit.
  EXPECT_EQ(d.max_buffer_bytes, uint64_t(128) << 20);
  EXPECT_EQ(d.timer, "device timestamps");
#if defined(__x86_64__)
  EXPECT_EQ(d.extra["features"]["shaderFloat16"], true);  // llvmpipe's fp16 is there on x86-64 only
#else
  EXPECT_TRUE(d.extra["features"]["shaderFloat16"].is_boolean());
#endif
  EXPECT_EQ(d.extra["features"]["cooperative_matrix"], false);
  EXPECT_GT(d.extra["subgroup_size"].get<int>(), 0);
}

TEST(VulkanDevice, IdsFollowTheLoadersOrder) {
  const auto& list = vulkan_devices();
  if (list.devices.empty()) GTEST_SKIP() << "no Vulkan device";
  for (size_t i = 0; i < list.devices.size(); ++i) EXPECT_EQ(list.devices[i]->info().id, "gpu" + std::to_string(i));
}

TEST(VulkanDevice, MissingLoaderIsOneNoteAndNoDevice) {
  backends::DeviceList list;
  vulkan::open_devices_with("/nonexistent/libvulkan.so.1", list);
  EXPECT_TRUE(list.devices.empty());
  ASSERT_EQ(list.notes.size(), 1u);
  EXPECT_NE(list.notes[0].find("no Vulkan loader"), std::string::npos) << list.notes[0];
  EXPECT_EQ(list.notes[0].find('\n'), std::string::npos);
}

TEST(VulkanDevice, SpecgapVulkanNamesTheLoader) {
  ::setenv("SPECGAP_VULKAN", "/nonexistent/libvulkan.so.1", 1);
  backends::DeviceList list;
  vulkan::open_devices(Machine{}, list);
  ::unsetenv("SPECGAP_VULKAN");
  EXPECT_TRUE(list.devices.empty());
  ASSERT_EQ(list.notes.size(), 1u);
  EXPECT_NE(list.notes[0].find("/nonexistent/libvulkan.so.1"), std::string::npos) << list.notes[0];
}

}  // namespace
}  // namespace specgap::test

namespace specgap::test {
namespace {

TEST(VulkanDevice, TheRegistryOpensTheVulkanBackend) {
  if (!software_device()) GTEST_SKIP() << "no software Vulkan device";
  const backends::DeviceList list = backends::open_devices(Machine{}, {"vulkan"});
  ASSERT_FALSE(list.devices.empty());
  EXPECT_EQ(list.devices[0]->info().backend, "vulkan");
  EXPECT_NE(backends::find_device(list, "gpu0"), nullptr);
}

}  // namespace
}  // namespace specgap::test
