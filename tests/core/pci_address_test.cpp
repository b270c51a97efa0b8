#include "core/pci_address.h"

#include <gtest/gtest.h>

namespace specgap {
namespace {

TEST(PciAddress, EverySourcesSpellingBecomesOne) {
  EXPECT_EQ(pci_address("00000000:3B:00.0"), "0000:3b:00.0");  // NVML
  EXPECT_EQ(pci_address("0000:03:00.0"), "0000:03:00.0");      // sysfs
  EXPECT_EQ(pci_address("c1:00.1"), "0000:c1:00.1");           // lspci, domain 0
  EXPECT_EQ(pci_address(1, 0x41, 0, 0), "0001:41:00.0");       // Vulkan's numbers
}

TEST(PciAddress, WhatIsNotAnAddressIsEmpty) {
  for (const char* bad : {"", "gpu0", "0000:3b:00", "0000:3b:00.0 ", "0000:3b:00.0x", "0000:300:00.0", "00:20.0:1",
                          "0000:3b:20.0", "0000:3b:00.8"})
    EXPECT_EQ(pci_address(bad), "") << bad;
}

}  // namespace
}  // namespace specgap
