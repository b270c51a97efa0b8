// How the x86 decode kernels read weights on each core: prefetch and split loads only where measured to help.
#if defined(__x86_64__)
#include "backends/cpu/arch/x86_64/x86_weight_reads.h"

#include <gtest/gtest.h>

namespace specgap::cpu {
namespace {

TEST(X86WeightReads, PrefetchOffOnZen4NearOnOtherAmdFarTooOnIntel) {
  EXPECT_EQ(prefetch_for("AuthenticAMD", 0x19, 0x11), Prefetch::none);          // EPYC 9004 (Genoa), measured
  EXPECT_EQ(prefetch_for("AuthenticAMD", 0x19, 0x61), Prefetch::none);          // Ryzen 7000 (Raphael)
  EXPECT_EQ(prefetch_for("AuthenticAMD", 0x19, 0xa0), Prefetch::none);          // Bergamo / Siena
  EXPECT_EQ(prefetch_for("AuthenticAMD", 0x19, 0x01), Prefetch::near);          // Zen 3 (Milan), measured with it
  EXPECT_EQ(prefetch_for("AuthenticAMD", 0x19, 0x21), Prefetch::near);          // Zen 3 (Vermeer)
  EXPECT_EQ(prefetch_for("AuthenticAMD", 0x1a, 0x02), Prefetch::near);          // Zen 5 (Turin), measured with it
  EXPECT_EQ(prefetch_for("GenuineIntel", 0x6, 0xcf), Prefetch::near_and_far);  // Emerald Rapids, measured
  EXPECT_EQ(prefetch_for("GenuineIntel", 0x6, 0x8f), Prefetch::near_and_far);  // Sapphire Rapids: not measured
  EXPECT_EQ(prefetch_for("HygonGenuine", 0x19, 0x11), Prefetch::near);         // another vendor's model numbers
}

TEST(X86WeightReads, SplitLoadsOnZen4Only) {
  EXPECT_TRUE(split_loads_help("AuthenticAMD", 0x19, 0x11));   // EPYC 9004 (Genoa), measured
  EXPECT_TRUE(split_loads_help("AuthenticAMD", 0x19, 0x61));   // Ryzen 7000 (Raphael)
  EXPECT_FALSE(split_loads_help("AuthenticAMD", 0x1a, 0x02));  // Zen 5: full-width loads
  EXPECT_FALSE(split_loads_help("AuthenticAMD", 0x19, 0x01));  // Zen 3: no AVX-512
  EXPECT_FALSE(split_loads_help("GenuineIntel", 0x6, 0x8f));   // Sapphire Rapids: not measured
}

}  // namespace
}  // namespace specgap::cpu
#endif
