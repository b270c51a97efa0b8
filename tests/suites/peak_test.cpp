// The peak suite end to end at tiny sizes: a checked, timed result per dtype with the clock and the
// theoretical peak it was held against; unsupported dtypes say why; --impl filters.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "backends/cpu/cpu_device.h"
#include "backends/cpu/peak_kernels.h"
#include "support/recording_sink.h"
#include "suites/compute/peak.h"
#include "support/allowed_cpus.h"
#include "timed_spans.h"

namespace specgap::suites {
namespace {

PeakConfig tiny(std::vector<Dtype> dtypes) {
  PeakConfig c;
  c.cpus = {test::allowed_cpus().front()};
  c.dtypes = std::move(dtypes);
  c.reps = 2;
  c.rep_seconds = 0.002;
  return c;
}

// The CPU as a device whose core has the peak-rate table row `uarch_id`.
std::unique_ptr<backends::Device> cpu_with(const std::string& uarch_id = "zen5-512") {
  Machine m;
  m.cpu.uarch.id = uarch_id;
  return cpu::make_cpu_device(m);
}

std::vector<Result> measure_peak(const PeakConfig& c, RunSink& sink, const std::string& uarch_id = "zen5-512") {
  return suites::measure_peak(*cpu_with(uarch_id), c, sink);
}

bool has_kernel(Dtype d) {
  const auto k = cpu::peak_kernels();
  return std::any_of(k.begin(), k.end(), [&](auto& e) { return e.dtype == d; });
}

TEST(PeakSuite, AMeasuredDtypeCarriesItsClockAndTheoreticalPeak) {
  if (!has_kernel(Dtype::fp32)) GTEST_SKIP() << "no fp32 peak kernel on this CPU";
  test::RecordingSink sink;
  const auto results = measure_peak(tiny({Dtype::fp32}), sink);
  ASSERT_EQ(results.size(), 1u);
  const Result& r = results.front();
  EXPECT_EQ(r.suite, "compute");
  EXPECT_EQ(r.name, "peak");
  EXPECT_EQ(r.dtype, "fp32");
  EXPECT_EQ(r.unit, "TFLOP/s");
  EXPECT_EQ(r.check, kCheckPassed);
  EXPECT_GT(r.value, 0);
  EXPECT_EQ(r.stats.reps, 2u);
  EXPECT_GT(r.params["clock_ghz"].get<double>(), 0);
  const auto& peak = r.params["theoretical_peak"];
  ASSERT_TRUE(peak.is_object());
  EXPECT_NEAR(peak["fraction"].get<double>(), r.value / peak["value"].get<double>(), 1e-9);
  EXPECT_NE(peak["formula"].get<std::string>().find("1 cores x"), std::string::npos);
  // Every kernel of the dtype is kept, with its own samples, and each timed rep was stored.
  const auto kernels = cpu::peak_kernels();
  EXPECT_EQ(r.variants.size(),
            size_t(std::count_if(kernels.begin(), kernels.end(), [](auto& k) { return k.dtype == Dtype::fp32; })));
  EXPECT_EQ(sink.samples.size(), 2 * r.variants.size());
  ASSERT_EQ(sink.results.size(), 1u);
}

// Two threads on one core (as SMT siblings are) share its FMA pipes: the theoretical peak counts the
// core once, or the fraction of peak would halve.
TEST(PeakSuite, ThreadsSharingACoreCountItOnceInTheTheoreticalPeak) {
  if (!has_kernel(Dtype::fp32)) GTEST_SKIP() << "no fp32 peak kernel on this CPU";
  auto c = tiny({Dtype::fp32});
  c.cpus = {c.cpus.front(), c.cpus.front()};
  test::RecordingSink sink;
  const auto results = measure_peak(c, sink);
  ASSERT_EQ(results.size(), 1u);
  const auto& peak = results.front().params["theoretical_peak"];
  ASSERT_TRUE(peak.is_object());
  EXPECT_NE(peak["formula"].get<std::string>().find("1 cores x"), std::string::npos) << peak["formula"];
  EXPECT_EQ(results.front().params["threads"], 2);
  EXPECT_EQ(results.front().params["cores"], 1);
}

// Each dtype's kernels are timed together, apart from the other dtypes': each states its own timed
// span, so that its power is taken over it and no other dtype's.
TEST(PeakSuite, EachDtypeStatesItsOwnTimedCalls) {
  if (!has_kernel(Dtype::fp32) || !has_kernel(Dtype::fp64)) GTEST_SKIP() << "no fp32 and fp64 peak kernels here";
  test::RecordingSink sink;
  const auto results = measure_peak(tiny({Dtype::fp64, Dtype::fp32}), sink);
  ASSERT_EQ(results.size(), 2u);
  for (const auto& r : results) EXPECT_EQ(r.timed.size(), 1u) << *r.dtype;
  test::expect_disjoint_timed_spans(results);
}

TEST(PeakSuite, WithoutATableRowThereIsNoTheoreticalPeakButStillAFigure) {
  if (!has_kernel(Dtype::fp64)) GTEST_SKIP() << "no fp64 peak kernel on this CPU";
  test::RecordingSink sink;
  const auto r = measure_peak(tiny({Dtype::fp64}), sink, "unknown").front();
  EXPECT_EQ(r.check, kCheckPassed);
  EXPECT_TRUE(r.params["theoretical_peak"].is_null());
  EXPECT_GT(r.value, 0);
}

// GB10's ten X925s rated as CPU 0's A725s would make a third of the peak: a chip of several kinds has
// none here, and says why, until each kind's clock is measured apart.
TEST(PeakSuite, AHybridCpuSaysWhyItHasNoTheoreticalPeak) {
  Machine m;
  m.cpu.uarch = {"a725", "Arm Cortex-A725"};
  CoreKind x925, a725;
  x925.uarch = {"x925", "Arm Cortex-X925"};
  x925.cores = 10;
  a725.uarch = m.cpu.uarch;
  a725.cores = 10;
  m.cpu.core_kinds = {x925, a725};
  backends::PeakRequest r;
  r.cpus = {0};
  const nlohmann::json hybrid = cpu::make_cpu_device(m)->theoretical_peak(r, 3.0);
  ASSERT_TRUE(hybrid.contains("missing"));
  EXPECT_NE(hybrid["missing"].get<std::string>().find("10 x Arm Cortex-X925, 10 x Arm Cortex-A725"), std::string::npos);
  m.cpu.core_kinds = {a725};
  EXPECT_FALSE(cpu::make_cpu_device(m)->theoretical_peak(r, 3.0).contains("missing"));
}

TEST(PeakSuite, AnEmulatedCpuSaysWhyItHasNoTheoreticalPeak) {
  Machine m;
  m.cpu.uarch = {"n1", "Arm Neoverse N1"};  // even a core with a row: the figures are the emulator's
  m.cpu.emulator = "QEMU user-mode emulation (qemu-aarch64)";
  backends::PeakRequest r;
  r.cpus = {0};
  const nlohmann::json peak = cpu::make_cpu_device(m)->theoretical_peak(r, 3.0);
  ASSERT_TRUE(peak.contains("missing"));
  EXPECT_EQ(peak["missing"], "QEMU user-mode emulation (qemu-aarch64): figures measure the emulator, not a CPU");
}

TEST(PeakSuite, ADtypeWithNoInstructionIsUnsupportedWithItsReason) {
  Dtype absent = Dtype::fp16;
  if (has_kernel(absent)) GTEST_SKIP() << "this CPU has native fp16 arithmetic";
  test::RecordingSink sink;
  const auto results = measure_peak(tiny({absent}), sink);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results.front().check.rfind("unsupported: ", 0), 0u) << results.front().check;
  EXPECT_FALSE(check_failed(results.front().check));
  EXPECT_TRUE(std::isnan(results.front().value));
  EXPECT_TRUE(sink.samples.empty());
}

TEST(PeakSuite, AnImplFilterRunsOnlyThatKernel) {
  if (!has_kernel(Dtype::fp32)) GTEST_SKIP() << "no fp32 peak kernel on this CPU";
  const std::string impl = [] {
    for (auto& k : cpu::peak_kernels())
      if (k.dtype == Dtype::fp32) return std::string(k.impl);
    return std::string();
  }();
  auto c = tiny({});
  c.impls = {impl};
  test::RecordingSink sink;
  const auto results = measure_peak(c, sink);
  // Dtypes whose kernels were filtered out are left out, not reported unsupported.
  for (auto& r : results) {
    if (r.check.rfind("unsupported", 0) == 0) continue;
    EXPECT_EQ(r.impl, impl);
    EXPECT_EQ(r.variants.size(), 1u);
  }
  for (auto& s : sink.samples) EXPECT_EQ(s.impl, impl);
}

}  // namespace
}  // namespace specgap::suites
