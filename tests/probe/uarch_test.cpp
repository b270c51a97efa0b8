// lookup_uarch: range edges of the AMD, Intel and Arm rows (cpu-uarch.md 2.1, 2.2 and 6).
#include <gtest/gtest.h>

#include "probe/machine.h"

namespace specgap {
namespace {

Uarch x86(const char* vendor, int family, int model) {
  CpuIdentity id;
  id.vendor = vendor;
  id.family = family;
  id.model = model;
  return lookup_uarch(id);
}
Uarch amd(int family, int model) { return x86("AuthenticAMD", family, model); }
Uarch intel(int model) { return x86("GenuineIntel", 6, model); }
Uarch arm(const char* vendor, int part) {
  CpuIdentity id;
  id.vendor = vendor;
  id.model = part;  // family stays -1 on Arm
  return lookup_uarch(id);
}

TEST(Uarch, Zen2Ranges) {
  for (int model : {0x30, 0x31, 0x4f, 0x60, 0x71, 0x7f, 0x90, 0x91, 0xa0, 0xaf}) EXPECT_EQ(amd(0x17, model).id, "zen2") << model;
  for (int model : {0x01, 0x2f, 0x50, 0x8f, 0x92, 0xb0}) EXPECT_EQ(amd(0x17, model).id, "unknown") << model;
}

TEST(Uarch, Zen3AndZen4Interleave) {
  EXPECT_EQ(amd(0x19, 0x00).id, "zen3");
  EXPECT_EQ(amd(0x19, 0x0f).id, "zen3");
  EXPECT_EQ(amd(0x19, 0x10).id, "zen4");
  EXPECT_EQ(amd(0x19, 0x1f).id, "zen4");
  EXPECT_EQ(amd(0x19, 0x20).id, "zen3");
  EXPECT_EQ(amd(0x19, 0x5f).id, "zen3");
  EXPECT_EQ(amd(0x19, 0x60).id, "zen4");
  EXPECT_EQ(amd(0x19, 0xaf).id, "zen4");
  EXPECT_EQ(amd(0x19, 0xb0).id, "unknown");
}

TEST(Uarch, Zen5DatapathSplit) {
  EXPECT_EQ(amd(0x1a, 0x02).id, "zen5-512");  // Turin
  EXPECT_EQ(amd(0x1a, 0x11).id, "zen5-512");  // Turin dense
  EXPECT_EQ(amd(0x1a, 0x1f).id, "zen5-512");
  EXPECT_EQ(amd(0x1a, 0x24).id, "zen5-256");  // Strix Point
  EXPECT_EQ(amd(0x1a, 0x44).id, "zen5-512");  // Granite Ridge
  EXPECT_EQ(amd(0x1a, 0x60).id, "zen5-256");  // Krackan
  EXPECT_EQ(amd(0x1a, 0x6f).id, "zen5-256");
  EXPECT_EQ(amd(0x1a, 0x70).id, "zen5-512");  // Strix Halo
  EXPECT_EQ(amd(0x1a, 0x7f).id, "zen5-512");
  // Zen 5 by the kernel's range, but no product says which datapath: plain "zen5", said so.
  const Uarch other = amd(0x1a, 0x20);
  EXPECT_EQ(other.id, "zen5");
  EXPECT_NE(other.name.find("unconfirmed"), std::string::npos);
  EXPECT_EQ(amd(0x1a, 0x2f).id, "zen5");
  // Zen 6 ranges and gaps are not Zen 5.
  for (int model : {0x30, 0x3f, 0x50, 0x5f, 0x80, 0xc0}) EXPECT_EQ(amd(0x1a, model).id, "unknown") << model;
}

TEST(Uarch, IntelFamily6Models) {
  EXPECT_EQ(intel(0x55).id, "skx");
  EXPECT_EQ(intel(0x6a).id, "icx");
  EXPECT_EQ(intel(0x6c).id, "icx");
  EXPECT_EQ(intel(0x8f).id, "spr");
  EXPECT_EQ(intel(0x8f).name, "Intel Sapphire Rapids");
  EXPECT_EQ(intel(0xcf).id, "spr");  // Emerald Rapids shares the SPR row
  EXPECT_EQ(intel(0xcf).name, "Intel Emerald Rapids");
  EXPECT_EQ(intel(0xad).id, "gnr");
  EXPECT_EQ(intel(0xae).id, "gnr");
  for (int model : {0x97, 0x9a, 0xb7, 0xba, 0xbf}) EXPECT_EQ(intel(model).id, "glc-client") << model;
  EXPECT_EQ(intel(0xbe).id, "gracemont");
  for (int model : {0xbd, 0xc5, 0xc6, 0xb5}) EXPECT_EQ(intel(model).id, "lioncove") << model;
  EXPECT_EQ(intel(0xaa).id, "unknown");  // Meteor Lake: not tabulated
  EXPECT_EQ(x86("GenuineIntel", 15, 0x8f).id, "unknown");
  EXPECT_EQ(x86("AuthenticAMD", 6, 0x8f).id, "unknown");  // the vendor is part of the key
}

TEST(Uarch, ArmParts) {
  EXPECT_EQ(arm("ARM", 0xd0c).id, "n1");
  EXPECT_EQ(arm("ARM", 0xd40).id, "v1");
  EXPECT_EQ(arm("ARM", 0xd4f).id, "v2");
  EXPECT_EQ(arm("ARM", 0xd85).id, "x925");
  EXPECT_EQ(arm("ARM", 0xd87).id, "a725");
  EXPECT_EQ(arm("ARM", 0xd46).id, "unknown");  // Cortex-A510: not tabulated
  EXPECT_EQ(arm("Apple", 0x023).id, "apple-p");
  EXPECT_EQ(arm("Apple", 0x022).id, "apple-e");
  EXPECT_EQ(arm("Apple", 0x039).id, "apple-p");
  EXPECT_EQ(arm("Apple", 0xd4f).id, "unknown");
  EXPECT_EQ(arm("NVIDIA", 0x004).id, "unknown");
}

TEST(Uarch, UnknownHasBothFieldsUnknown) {
  const Uarch u = arm("", -1);
  EXPECT_EQ(u.id, "unknown");
  EXPECT_EQ(u.name, "unknown");
}

}  // namespace
}  // namespace specgap
