// The Arm probe on /proc/cpuinfo fixtures, through cpu_info_from_sources as probe_machine calls it:
// the identity, core kinds and pinning order, features, SVE length and theoretical peak per kind.
#include <gtest/gtest.h>

#include "fixtures.h"
#include "probe/cpu_info.h"
#include "probe/machine_peak.h"

namespace specgap {
namespace {

using Isa = std::vector<std::string>;

// A fixture's CPUs as the topology fallback sees them (one core each): what the probe would read on a
// machine where hwloc failed, and, on these cores without SMT, what hwloc gives.
CpuInfo probe_fixture(const char* file, int cpus) {
  CpuSources s;
  s.cpuinfo_text = test::read_fixture(std::string("cpuinfo/") + file);
  s.arch = "aarch64";
  s.topology = topology_from_cpu_count(cpus);
  return cpu_info_from_sources(s);
}

// Ops per cycle of the machine for `d` (summed over kinds); -1 without an entry, 0 without a figure.
double per_cycle(const CpuInfo& cpu, Dtype d) {
  for (const MachinePeak& p : machine_peaks(cpu))
    if (p.dtype == d) return p.ops_per_cycle;
  return -1;
}

const MachinePeak& peak_of(const std::vector<MachinePeak>& peaks, Dtype d) {
  for (const MachinePeak& p : peaks)
    if (p.dtype == d) return p;
  throw std::runtime_error("no peak for dtype");
}

TEST(ArmProbe, GraceIsNeoverseV2WithSve2At128Bits) {
  const CpuInfo cpu = probe_fixture("nvidia-grace-neoverse-v2.txt", 2);
  EXPECT_EQ(cpu.identity.model_name, "Arm Neoverse V2");
  EXPECT_EQ(cpu.uarch.id, "v2");
  EXPECT_EQ(cpu.identity.isa, (Isa{"neon", "fphp", "asimddp", "sve", "sve2", "i8mm", "bf16"}));
  ASSERT_EQ(cpu.core_kinds.size(), 1u);
  EXPECT_EQ(cpu.core_kinds[0].cores, 2);
  // No live reading in a fixture: the reference's width, and the source says so.
  EXPECT_EQ(cpu.sve_vector_bits, 128);
  EXPECT_NE(cpu.sve_vector_source.find("not read from this machine"), std::string::npos);
  // cpu-uarch.md 3.13 per core: fp64 16, fp32 32, fp16 64, BFMMLA 128, SMMLA 256.
  EXPECT_EQ(per_cycle(cpu, Dtype::fp64), 2 * 16);
  EXPECT_EQ(per_cycle(cpu, Dtype::fp32), 2 * 32);
  EXPECT_EQ(per_cycle(cpu, Dtype::fp16), 2 * 64);
  EXPECT_EQ(per_cycle(cpu, Dtype::bf16), 2 * 128);
  EXPECT_EQ(per_cycle(cpu, Dtype::int8), 2 * 256);
  const auto peaks = machine_peaks(cpu);
  EXPECT_EQ(peak_of(peaks, Dtype::int8).kinds[0].instruction, "SMMLA");
  EXPECT_EQ(peak_of(peaks, Dtype::bf16).kinds[0].instruction, "BFMMLA");
  EXPECT_EQ(peak_of(peaks, Dtype::fp32).kinds[0].rate->confidence, "derived");
}

TEST(ArmProbe, Gb10ListsBothKindsPinsTheX925sFirstAndSumsThePeakPerKind) {
  CpuInfo cpu = probe_fixture("nvidia-gb10.txt", 20);
  // Processor 0 is an A725: the identity stays CPU 0's, as on every other machine, but the name is
  // the chip's.
  EXPECT_EQ(cpu.identity.model_name, "Arm Cortex-X925 + Arm Cortex-A725");
  EXPECT_EQ(cpu.identity.model, 0xd87);
  EXPECT_EQ(cpu.uarch.id, "a725");
  ASSERT_EQ(cpu.core_kinds.size(), 2u);
  const CoreKind& x925 = cpu.core_kinds[0];
  const CoreKind& a725 = cpu.core_kinds[1];
  EXPECT_EQ(x925.uarch.id, "x925");
  EXPECT_EQ(x925.model, 0xd85);
  EXPECT_EQ(x925.cores, 10);
  EXPECT_EQ(x925.cpus.front(), 10);
  EXPECT_EQ(x925.cpus.back(), 19);
  EXPECT_EQ(a725.uarch.id, "a725");
  EXPECT_EQ(a725.cores, 10);
  EXPECT_EQ(a725.cpus.front(), 0);
  // Threads are pinned X925 first: the first ten cores are CPUs 10-19, then 0-9, and every CPU
  // still maps to the core that is pinned to it.
  ASSERT_EQ(cpu.core_pus.size(), 20u);
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(cpu.core_pus[size_t(i)], 10 + i);
    EXPECT_EQ(cpu.core_pus[size_t(10 + i)], i);
  }
  for (int pu = 0; pu < 20; ++pu) EXPECT_EQ(cpu.core_pus[size_t(cpu.pu_core[size_t(pu)])], pu);
  EXPECT_EQ(cpu.sve_vector_bits, 128);
  // Per kind (cpu-uarch.md 3.14, 3.15): X925 fp64 24, fp32 48, fp16 96, BFMMLA 192, SMMLA 384; A725
  // 8, 16, 32, 64, 128.
  EXPECT_EQ(per_cycle(cpu, Dtype::fp64), 10 * 24 + 10 * 8);
  EXPECT_EQ(per_cycle(cpu, Dtype::fp32), 10 * 48 + 10 * 16);
  EXPECT_EQ(per_cycle(cpu, Dtype::fp16), 10 * 96 + 10 * 32);
  EXPECT_EQ(per_cycle(cpu, Dtype::bf16), 10 * 192 + 10 * 64);
  EXPECT_EQ(per_cycle(cpu, Dtype::int8), 10 * 384 + 10 * 128);
  const MachinePeak no_clock = peak_of(machine_peaks(cpu), Dtype::fp64);
  EXPECT_FALSE(no_clock.ops_per_second);
  EXPECT_NE(no_clock.missing.find("clock unknown"), std::string::npos);
  // X925 rates are unconfirmed (cpu-uarch.md 3.14), and the entry says so.
  EXPECT_EQ(no_clock.kinds[0].rate->confidence, "unconfirmed");
  EXPECT_EQ(no_clock.kinds[1].rate->confidence, "derived");

  // Each kind at its own clock. At 2.8 GHz the A725s give BLIS's published 224 GFLOP/s fp64
  // (cpu-uarch.md 3.15); the X925 clock here is a test value.
  cpu.core_kinds[0].freq_max_mhz = 3900;
  cpu.core_kinds[1].freq_max_mhz = 2800;
  const MachinePeak fp64 = peak_of(machine_peaks(cpu), Dtype::fp64);
  ASSERT_TRUE(fp64.ops_per_second);
  EXPECT_DOUBLE_EQ(*fp64.ops_per_second, 10 * 3.9e9 * 24 + 224e9);
  EXPECT_TRUE(fp64.missing.empty());
  EXPECT_EQ(fp64.formula,
            "10 x Arm Cortex-X925 x 3.900 GHz x 24 FLOP/cycle (FMLA) + 10 x Arm Cortex-A725 x 2.800 GHz x 8 "
            "FLOP/cycle (FMLA) = 1160.0 GFLOP/s at the cpufreq maximum");
}

TEST(ArmProbe, Gb10MachineRecordCarriesKindsAndPeaks) {
  Machine m;
  m.cpu = probe_fixture("nvidia-gb10.txt", 20);
  m.cpu.core_kinds[0].freq_max_mhz = 3900;
  const nlohmann::json cpu = to_json(m)["cpu"];
  ASSERT_EQ(cpu["core_kinds"].size(), 2u);
  EXPECT_EQ(cpu["core_kinds"][0]["uarch"], "x925");
  EXPECT_EQ(cpu["core_kinds"][0]["cores"], 10);
  EXPECT_EQ(cpu["core_kinds"][0]["freq_max_mhz"], 3900.0);
  EXPECT_TRUE(cpu["core_kinds"][1]["freq_max_mhz"].is_null());
  EXPECT_EQ(cpu["core_kinds"][1]["cpus"], nlohmann::json({0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
  EXPECT_EQ(cpu["sve_vector_bits"], 128);
  EXPECT_EQ(cpu["emulator"], "none");
  ASSERT_EQ(cpu["theoretical_peak"].size(), 5u);
  const nlohmann::json& int8 = cpu["theoretical_peak"][4];
  EXPECT_EQ(int8["dtype"], "int8");
  EXPECT_EQ(int8["unit"], "TOP/s");
  EXPECT_EQ(int8["ops_per_cycle"], 10 * 384 + 10 * 128);
  EXPECT_TRUE(int8["value"].is_null());  // one kind's clock is unknown
  EXPECT_EQ(int8["kinds"][0]["instruction"], "SMMLA");
  EXPECT_EQ(int8["kinds"][1]["ops_per_cycle_per_core"], 128);
  EXPECT_EQ(int8["kinds"][1]["confidence"], "unconfirmed");
}

TEST(ArmProbe, Graviton3IsNeoverseV1WithSveAt256Bits) {
  const CpuInfo cpu = probe_fixture("aws-graviton3-neoverse-v1.txt", 2);
  EXPECT_EQ(cpu.identity.model_name, "Arm Neoverse V1");
  EXPECT_EQ(cpu.identity.isa, (Isa{"neon", "fphp", "asimddp", "sve", "i8mm", "bf16"}));
  EXPECT_EQ(cpu.sve_vector_bits, 256);
  // cpu-uarch.md 3.12: 4 x 128 (SVE 2 x 256): fp64 16, fp32 32, fp16 64, BFMMLA 128, SMMLA 256.
  EXPECT_EQ(per_cycle(cpu, Dtype::fp64), 2 * 16);
  EXPECT_EQ(per_cycle(cpu, Dtype::fp32), 2 * 32);
  EXPECT_EQ(per_cycle(cpu, Dtype::fp16), 2 * 64);
  EXPECT_EQ(per_cycle(cpu, Dtype::bf16), 2 * 128);
  EXPECT_EQ(per_cycle(cpu, Dtype::int8), 2 * 256);
}

TEST(ArmProbe, AltraIsNeoverseN1WithoutSveBf16OrI8mm) {
  const CpuInfo cpu = probe_fixture("ampere-altra-neoverse-n1.txt", 2);
  EXPECT_EQ(cpu.identity.model_name, "Arm Neoverse N1");
  EXPECT_EQ(cpu.identity.isa, (Isa{"neon", "fphp", "asimddp"}));
  EXPECT_EQ(cpu.sve_vector_bits, 0);
  EXPECT_TRUE(cpu.sve_vector_source.empty());
  // cpu-uarch.md 3.11: fp64 8, fp32 16, fp16 32, SDOT 64; no bf16 instruction, so no bf16 entry.
  EXPECT_EQ(per_cycle(cpu, Dtype::fp64), 2 * 8);
  EXPECT_EQ(per_cycle(cpu, Dtype::fp32), 2 * 16);
  EXPECT_EQ(per_cycle(cpu, Dtype::fp16), 2 * 32);
  EXPECT_EQ(per_cycle(cpu, Dtype::int8), 2 * 64);
  EXPECT_EQ(per_cycle(cpu, Dtype::bf16), -1);
  EXPECT_EQ(peak_of(machine_peaks(cpu), Dtype::int8).kinds[0].instruction, "SDOT");
}

TEST(ArmProbe, AppleM2PCoresFirstAndNoSumWithoutAnECoreRate) {
  const CpuInfo cpu = probe_fixture("apple-m2-asahi.txt", 8);
  EXPECT_EQ(cpu.identity.vendor, "Apple");
  EXPECT_EQ(cpu.identity.model_name, "Apple M2 Avalanche (P-core) + Apple M2 Blizzard (E-core)");
  ASSERT_EQ(cpu.core_kinds.size(), 2u);
  EXPECT_EQ(cpu.core_kinds[0].uarch.id, "apple-p");
  EXPECT_EQ(cpu.core_kinds[0].uarch.name, "Apple M2 Avalanche (P-core)");
  EXPECT_EQ(cpu.core_kinds[0].cores, 4);
  EXPECT_EQ(cpu.core_kinds[1].uarch.id, "apple-e");
  EXPECT_EQ(cpu.core_pus[0], 4);
  // The E-cores have no row: a total of the P-cores alone would under-report the chip, so none.
  const auto peaks = machine_peaks(cpu);
  const MachinePeak& fp32 = peak_of(peaks, Dtype::fp32);
  EXPECT_EQ(fp32.ops_per_cycle, 0);
  EXPECT_NE(fp32.missing.find("Apple M2 Blizzard (E-core)"), std::string::npos);
  ASSERT_TRUE(fp32.kinds[0].rate);
  EXPECT_EQ(fp32.kinds[0].rate->ops_per_cycle, 32);  // cpu-uarch.md 3.16
  // BF16 exists from M2 on, its rate unconfirmed and no MMLA rate known: BFDOT is the path named.
  EXPECT_EQ(peak_of(peaks, Dtype::bf16).kinds[0].instruction, "BFDOT");
}

TEST(ArmProbe, SveLengthReadLiveWinsOverTheReference) {
  CpuSources s;
  s.cpuinfo_text = test::read_fixture("cpuinfo/aws-graviton3-neoverse-v1.txt");
  s.arch = "aarch64";
  s.topology = topology_from_cpu_count(2);
  s.sve = {128, "prctl(PR_SVE_GET_VL): this process's length"};
  const CpuInfo cpu = cpu_info_from_sources(s);
  EXPECT_EQ(cpu.sve_vector_bits, 128);
  EXPECT_EQ(cpu.sve_vector_source, s.sve.source);
  EXPECT_EQ(sve_bits_from_default_length("32\n"), 256);
  EXPECT_FALSE(sve_bits_from_default_length("0\n"));
  EXPECT_FALSE(sve_bits_from_default_length("16 bytes"));
  EXPECT_FALSE(sve_bits_from_default_length(""));
}

TEST(ArmProbe, X86MachinesKeepOneKindAndGetNoProbePeak) {
  CpuSources s;
  s.cpuinfo_text = test::read_fixture("cpuinfo/intel-core-i9-12900k.txt");
  s.arch = "x86_64";
  s.topology = topology_from_cpu_count(2);
  const CpuInfo cpu = cpu_info_from_sources(s);
  ASSERT_EQ(cpu.core_kinds.size(), 1u);
  EXPECT_EQ(cpu.core_kinds[0].uarch.id, "glc-client");
  EXPECT_EQ(cpu.core_kinds[0].cores, 2);
  EXPECT_EQ(cpu.core_pus, (std::vector<int>{0, 1}));
  EXPECT_TRUE(machine_peaks(cpu).empty());
  EXPECT_EQ(cpu.sve_vector_bits, 0);
  EXPECT_EQ(cpu.emulator, "none");
}

TEST(ArmProbe, KindsKeepCpuinfoCountsForCpusTheTopologyDoesNotPlace) {
  // Topology of 4 CPUs, cpuinfo of 20 (a fixture bigger than this machine): placed CPUs are counted
  // as cores, the rest as one core each.
  const CpuInfo cpu = probe_fixture("nvidia-gb10.txt", 4);
  ASSERT_EQ(cpu.core_kinds.size(), 2u);
  EXPECT_EQ(cpu.core_kinds[0].cores, 10);
  EXPECT_EQ(cpu.core_kinds[1].cores, 10);
  EXPECT_EQ(cpu.core_pus, (std::vector<int>{0, 1, 2, 3}));  // no X925 among them: order unchanged
}

}  // namespace
}  // namespace specgap
