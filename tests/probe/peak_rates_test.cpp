// The per-core peak-rate table: rates per dtype and vector width, split datapaths, the theoretical
// peak formula, and the path from a CPU fixture to its rate.
#include <gtest/gtest.h>

#include "probe/machine.h"
#include "probe/peak_rates.h"
#include "fixtures.h"

namespace specgap {
namespace {

double rate(const char* uarch, Dtype d, int bits) {
  const auto r = peak_rate(uarch, d, bits);
  return r ? r->ops_per_cycle : -1;
}

TEST(PeakRates, Zen5ServerCoreMatchesTheReferenceTable) {
  // cpu-uarch.md section 6 and the rates measured in section 8.
  EXPECT_EQ(rate("zen5-512", Dtype::fp64, 512), 32);
  EXPECT_EQ(rate("zen5-512", Dtype::fp32, 512), 64);
  EXPECT_EQ(rate("zen5-512", Dtype::bf16, 512), 128);
  EXPECT_EQ(rate("zen5-512", Dtype::int8, 512), 256);
  EXPECT_EQ(rate("zen5-512", Dtype::fp32, 256), 32);  // ymm on 512-bit pipes: half
  EXPECT_EQ(rate("zen5-512", Dtype::int8, 256), 128);
  EXPECT_EQ(peak_rate("zen5-512", Dtype::bf16, 512)->confidence, "measured");
}

TEST(PeakRates, SplitDatapathsRetireTheirOwnWidth) {
  // Zen 4 and Strix Point run 512-bit ops on 256-bit pipes: no gain over 256-bit code.
  EXPECT_EQ(rate("zen4", Dtype::fp32, 512), 32);
  EXPECT_EQ(rate("zen4", Dtype::fp32, 256), 32);
  EXPECT_NE(peak_rate("zen4", Dtype::fp32, 512)->basis.find("split"), std::string::npos);
  EXPECT_EQ(rate("zen5-256", Dtype::int8, 512), 128);
}

TEST(PeakRates, IntelRows) {
  EXPECT_EQ(rate("skx", Dtype::int8, 512), 256);
  EXPECT_EQ(rate("icx", Dtype::fp64, 512), 32);
  EXPECT_EQ(rate("spr", Dtype::fp16, 512), 128);
  EXPECT_EQ(rate("glc-client", Dtype::int8, 256), 128);
  EXPECT_EQ(rate("gracemont", Dtype::fp32, 256), 16);
  EXPECT_EQ(rate("skymont", Dtype::fp32, 128), 32);
}

TEST(PeakRates, ArmRowsMatchTheReferenceTable) {
  // cpu-uarch.md section 6, per core per cycle: fp64, fp32, fp16, bf16 dot / MMLA, int8 dot / MMLA.
  struct Row {
    const char* id;
    double fp64, fp32, fp16, bfdot, bfmmla, sdot, smmla;
  };
  const Row rows[] = {{"v1", 16, 32, 64, 64, 128, 128, 256},  {"v2", 16, 32, 64, 64, 128, 128, 256},
                      {"x925", 24, 48, 96, 96, 192, 192, 384}, {"a725", 8, 16, 32, 32, 64, 64, 128},
                      {"n1", 8, 16, 32, 32, -1, 64, -1},       {"apple-p", 16, 32, 64, 64, -1, 128, -1}};
  const auto mmla = [](const char* id, Dtype d) {
    const auto r = peak_rate(id, d, 128, VectorOp::mmla);
    return r ? r->ops_per_cycle : -1;
  };
  for (const Row& r : rows) {
    EXPECT_EQ(rate(r.id, Dtype::fp64, 128), r.fp64) << r.id;
    EXPECT_EQ(rate(r.id, Dtype::fp32, 128), r.fp32) << r.id;
    EXPECT_EQ(rate(r.id, Dtype::fp16, 128), r.fp16) << r.id;
    EXPECT_EQ(rate(r.id, Dtype::bf16, 128), r.bfdot) << r.id;
    EXPECT_EQ(mmla(r.id, Dtype::bf16), r.bfmmla) << r.id;
    EXPECT_EQ(rate(r.id, Dtype::int8, 128), r.sdot) << r.id;
    EXPECT_EQ(mmla(r.id, Dtype::int8), r.smmla) << r.id;
  }
  // V1's SVE is 2 x 256: a 256-bit vector retires no more than the 4 x 128-bit NEON pipes.
  EXPECT_EQ(rate("v1", Dtype::fp32, 256), 32);
  EXPECT_EQ(peak_rate("x925", Dtype::fp32, 128)->confidence, "unconfirmed");
  EXPECT_EQ(peak_rate("a725", Dtype::int8, 128, VectorOp::mmla)->confidence, "unconfirmed");
  EXPECT_EQ(peak_rate("v2", Dtype::int8, 128, VectorOp::mmla)->confidence, "derived");
  EXPECT_NE(peak_rate("v2", Dtype::int8, 128, VectorOp::mmla)->source.find("SMMLA"), std::string::npos);
}

TEST(PeakRates, MmlaOnlyForDotProductTypesOnCoresThatHaveIt) {
  EXPECT_FALSE(peak_rate("v2", Dtype::fp32, 128, VectorOp::mmla));
  EXPECT_FALSE(peak_rate("zen5-512", Dtype::int8, 512, VectorOp::mmla));
  EXPECT_FALSE(peak_rate("spr", Dtype::int8, kAmxTileBits, VectorOp::mmla));
  EXPECT_FALSE(peak_rate("emulated", Dtype::fp32, 128));
}

TEST(PeakRates, MatrixUnitsHaveTheirOwnRows) {
  // cpu-uarch.md 3.7-3.8: one AMX unit per core, 1024 bf16 FLOP and 2048 int8 OP per cycle.
  EXPECT_EQ(rate("spr", Dtype::bf16, kAmxTileBits), 1024);
  EXPECT_EQ(rate("spr", Dtype::int8, kAmxTileBits), 2048);
  EXPECT_EQ(rate("gnr", Dtype::int8, kAmxTileBits), 2048);
  EXPECT_EQ(rate("spr", Dtype::bf16, 512), 128);            // the vector path keeps its own row
  EXPECT_FALSE(peak_rate("spr", Dtype::fp32, kAmxTileBits));  // AMX has no fp32 product
  EXPECT_FALSE(peak_rate("zen5-512", Dtype::bf16, kAmxTileBits));  // no matrix unit
}

TEST(PeakRates, UnknownCoresAndDtypesHaveNoRate) {
  EXPECT_FALSE(peak_rate("unknown", Dtype::fp32, 512));
  EXPECT_FALSE(peak_rate("zen5", Dtype::fp32, 512));  // Zen 5 of unconfirmed width: no guess
  EXPECT_FALSE(peak_rate("zen5-512", Dtype::fp8, 512));
  EXPECT_FALSE(peak_rate("zen5-512", Dtype::fp32, 0));
}

TEST(PeakRates, TheoreticalPeakIsCoresTimesClockTimesRate) {
  const auto r = peak_rate("zen5-512", Dtype::fp32, 512);
  ASSERT_TRUE(r);
  const auto p = theoretical_peak(*r, 2, 4.4, Dtype::fp32);
  EXPECT_DOUBLE_EQ(p.ops_per_second, 2 * 4.4e9 * 64);
  EXPECT_EQ(p.formula, "2 cores x 4.400 GHz x 64 FLOP/cycle = 563.2 GFLOP/s");
  const auto i = theoretical_peak(*peak_rate("zen5-512", Dtype::int8, 512), 1, 1.0, Dtype::int8);
  EXPECT_EQ(i.formula, "1 cores x 1.000 GHz x 256 OP/cycle = 256.0 GOP/s");
}

TEST(PeakRates, FromACpuFixtureToItsRate) {
  const auto uarch_of = [](const char* fixture) {
    return lookup_uarch(identity_from_cpuinfo(test::read_fixture(fixture), "x86_64")).id;
  };
  EXPECT_EQ(rate(uarch_of("cpuinfo/amd-epyc-zen5-vm.txt").c_str(), Dtype::fp32, 512), 64);
  EXPECT_EQ(rate(uarch_of("cpuinfo/amd-epyc-7702.txt").c_str(), Dtype::fp64, 256), 16);
  EXPECT_EQ(rate(uarch_of("cpuinfo/intel-xeon-platinum-8480plus.txt").c_str(), Dtype::int8, 512), 256);
}

}  // namespace
}  // namespace specgap
