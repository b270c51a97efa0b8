// How the x86 decode kernels read weights on each core: prefetch and split loads only where measured to help.
#if defined(__x86_64__)
#include "backends/cpu/arch/x86_64/x86_weight_reads.h"

#include <gtest/gtest.h>

namespace specgap::cpu {
namespace {

TEST(X86WeightReads, PrefetchOffOnZen4Only) {
  EXPECT_FALSE(prefetch_helps("AuthenticAMD", 0x19, 0x11));  // EPYC 9004 (Genoa), measured
  EXPECT_FALSE(prefetch_helps("AuthenticAMD", 0x19, 0x61));  // Ryzen 7000 (Raphael)
  EXPECT_FALSE(prefetch_helps("AuthenticAMD", 0x19, 0xa0));  // Bergamo / Siena
  EXPECT_TRUE(prefetch_helps("AuthenticAMD", 0x19, 0x01));   // Zen 3 (Milan), measured with it
  EXPECT_TRUE(prefetch_helps("AuthenticAMD", 0x19, 0x21));   // Zen 3 (Vermeer)
  EXPECT_TRUE(prefetch_helps("AuthenticAMD", 0x1a, 0x02));   // Zen 5 (Turin), measured with it
  EXPECT_TRUE(prefetch_helps("GenuineIntel", 0x6, 0x8f));    // Sapphire Rapids: not measured
  EXPECT_TRUE(prefetch_helps("HygonGenuine", 0x19, 0x11));   // another vendor's model numbers
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
