// The read-bandwidth sampler that runs beside LLM decode on the engine's own team.
#include <gtest/gtest.h>

#include <cmath>

#include "backends/cpu/read_sampler.h"
#include "core/error.h"
#include "core/units.h"

namespace specgap::cpu {
namespace {

TEST(ReadSampler, AReadSamplerGivesARateEverySampleAndRefusesNoRepetitionsOrNoArray) {
  ThreadTeam team({});
  ReadSampler reader(team, 1 * MiB);
  for (int i = 0; i < 3; ++i) {
    const double gbps = reader.sample(2);
    EXPECT_TRUE(std::isfinite(gbps) && gbps > 0) << "sample " << i << ": " << gbps;
  }
  EXPECT_THROW(reader.sample(0), UsageError);
  EXPECT_THROW(ReadSampler(team, 0), UsageError);
}
}  // namespace
}  // namespace specgap::cpu
