// The compute view: readable units, the fraction of the theoretical peak and its formula, other
// kernels under the table, and unsupported dtypes with their reason.
#include <gtest/gtest.h>

#include <cmath>

#include "report/compute_tables.h"
#include "report/render.h"

namespace specgap::report {
namespace {

Result fp32_peak() {
  Result r;
  r.suite = "compute";
  r.device = "cpu";
  r.name = "peak";
  r.dtype = "fp32";
  r.unit = "TFLOP/s";
  r.impl = "avx512-fma";
  r.value = 0.5602;
  r.stats = {0.5602, 0.56, 0.55, 0.5611, 0.001, 0.002, 10};
  r.params = {{"instruction", "vfmadd231ps zmm"},
              {"clock_ghz", 4.4012},
              {"clock_method", "dependent integer-add chain"},
              {"theoretical_peak",
               {{"value", 0.5633}, {"fraction", 0.9945}, {"formula", "2 cores x 4.401 GHz x 64 FLOP/cycle = 563.3 GFLOP/s"},
                {"basis", "2 FMA pipes x 512 bit"}, {"source", "cpu-uarch.md 3.4"}, {"confidence", "derived"}}}};
  r.variants = nlohmann::json::array(
      {{{"impl", "avx512-fma"}, {"check", "passed"}, {"stats", {{"median", 0.5602}}}},
       {{"impl", "avx2-fma"}, {"instruction", "vfmadd231ps ymm"}, {"check", "passed"},
        {"stats", {{"median", 0.2801}}}, {"fraction_of_path_peak", 0.9945}}});
  return r;
}

TEST(ComputeTables, SubTeraFiguresReadInGiga) {
  EXPECT_EQ(readable_compute(0.5602, "TFLOP/s").unit, "GFLOP/s");
  EXPECT_DOUBLE_EQ(readable_compute(0.5602, "TFLOP/s").value, 560.2);
  EXPECT_EQ(readable_compute(989.0, "TFLOP/s").unit, "TFLOP/s");
  EXPECT_EQ(readable_compute(2.2, "TOP/s").unit, "TOP/s");
  EXPECT_EQ(readable_compute(std::nan(""), "TOP/s").unit, "TOP/s");
}

TEST(ComputeTables, PeakRowShowsTheFractionAndTheFormulaBelow) {
  const Result r = fp32_peak();
  const Table t = peak_table({&r});
  ASSERT_EQ(t.rows.size(), 1u);
  const auto& row = t.rows.front();
  EXPECT_EQ(row[0], "fp32");
  EXPECT_EQ(row[1], "560.2");
  EXPECT_EQ(row[4], "GFLOP/s");
  EXPECT_EQ(row[9], "4.401");
  EXPECT_EQ(row[10], "563.3");
  EXPECT_EQ(row[11], "0.995");
  const std::string text = draw_text(t);
  EXPECT_NE(text.find("2 cores x 4.401 GHz x 64 FLOP/cycle"), std::string::npos) << text;
  EXPECT_NE(text.find("also avx2-fma (vfmadd231ps ymm): 280.1 GFLOP/s, 0.995 of its own path's peak"),
            std::string::npos)
      << text;
}

TEST(ComputeTables, UnsupportedDtypeShowsNoFigureAndSaysWhy) {
  Result r;
  r.suite = "compute";
  r.name = "peak";
  r.dtype = "fp16";
  r.unit = "TFLOP/s";
  r.value = std::nan("");
  r.check = "unsupported: avx512-fp16: no AVX512_FP16 on this CPU";
  const Table t = peak_table({&r});
  ASSERT_EQ(t.rows.size(), 1u);
  EXPECT_EQ(t.rows.front()[1], "-");
  EXPECT_EQ(t.rows.front().back(), "unsupported");
  EXPECT_NE(draw_text(t).find("fp16: unsupported: avx512-fp16: no AVX512_FP16"), std::string::npos);
}

TEST(ComputeTables, ARunWithPeaksGetsThePeakTable) {
  RunRecord run;
  run.results = {fp32_peak()};
  const auto tables = run_tables(run);
  ASSERT_EQ(tables.size(), 1u);
  EXPECT_EQ(tables.front().title.rfind("Peak compute", 0), 0u);
}

}  // namespace
}  // namespace specgap::report
