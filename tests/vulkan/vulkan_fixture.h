#pragma once
// The Vulkan tests run on the software device Mesa's lavapipe offers (mesa-vulkan-drivers), which a
// fresh Debian 12 has: a machine without it skips them rather than fails.
#include <gtest/gtest.h>

#include <string>

#include "backends/registry.h"
#include "backends/vulkan/kernel.h"
#include "backends/vulkan/vulkan_device.h"

namespace specgap::test {

// Every device the system loader lists, opened once for the whole test binary.
inline backends::DeviceList& vulkan_devices() {
  static backends::DeviceList list = [] {
    backends::DeviceList l;
    vulkan::open_devices_with("libvulkan.so.1", l);
    return l;
  }();
  return list;
}

// lavapipe (kind "software"), or nullptr.
inline backends::Device* software_device() {
  for (auto& d : vulkan_devices().devices)
    if (d->info().kind == "software") return d.get();
  return nullptr;
}

#define SPECGAP_NEED_LAVAPIPE(device)                                                  \
  backends::Device* device = software_device();                                        \
  if (!device) GTEST_SKIP() << "no software Vulkan device (install mesa-vulkan-drivers)"

// Whether the device does fp16 arithmetic in shaders. Debian 12's lavapipe does on x86-64 but not
// on arm64 (where the Arm build's tests run it under QEMU), so the fp16 tests assert the kernel where
// the feature is there and the one-line refusal where it is not.
inline bool has_shader_fp16(backends::Device& device) {
  return device.info().extra["features"].value("shaderFloat16", false);
}

// The kernel's test hook: its next check overwrites one word of its output.
inline void corrupt_next_check(backends::Kernel& k) {
  auto* v = dynamic_cast<vulkan::VulkanKernel*>(&k);
  ASSERT_NE(v, nullptr) << k.impl() << " is not a Vulkan kernel";
  v->corrupt_next_check();
}

}  // namespace specgap::test
