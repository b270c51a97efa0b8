// Each device in its own place: a GPU's memory, transfers and compute in tables (and an HTML section)
// that name it, never in the CPU's; a software device's say its figures are no GPU's.
#include <gtest/gtest.h>

#include <string>

#include "report/html_report.h"
#include "report/render.h"
#include "synthetic_run.h"

namespace specgap::report {
namespace {

// The synthetic CPU run with lavapipe's memory, transfer and compute results beside it.
RunRecord run_with_gpu(const std::string& kind) {
  RunRecord run = test::synthetic_run();
  const nlohmann::json named = {{"device_name", "llvmpipe (LLVM 15.0.6, 256 bits)"}, {"device_kind", kind}};
  auto on_gpu = [&](Result r) {
    r.device = "gpu0";
    r.params.update(named);
    run.results.push_back(std::move(r));
  };
  on_gpu(test::make_result("memory", "triad", 7.25, "GB/s", "vk-vec4", {{"array_bytes", 4 << 20}}));
  on_gpu(test::make_result("transfer", "h2d", 13.5, "GB/s", "vk-copy-compute-queue", {{"bytes", 4 << 20}}));
  on_gpu(test::make_result("compute", "peak", 0.0761, "TFLOP/s", "vk-vec4-x8",
                           {{"theoretical_peak", nullptr}, {"theoretical_peak_missing", "a software device has no GPU architecture"}},
                           "fp32"));
  on_gpu(test::make_result("compute", "gemm", 0.00079, "TFLOP/s", "vk-tiled", {{"m", 128}, {"n", 128}, {"k", 128}}, "fp32"));
  return run;
}

std::string text_of(const RunRecord& run) {
  std::string out;
  for (const auto& t : run_tables(run)) out += draw(t, Format::text) + "\n";
  return out;
}

TEST(DeviceTables, AGpusFiguresHaveTablesOfTheirOwnNamingIt) {
  const std::string text = text_of(run_with_gpu("software"));
  EXPECT_NE(text.find("Memory bandwidth on gpu0 (llvmpipe (LLVM 15.0.6, 256 bits), software)"), std::string::npos) << text;
  EXPECT_NE(text.find("Transfers on gpu0 (llvmpipe"), std::string::npos) << text;
  EXPECT_NE(text.find("Peak compute on gpu0 (llvmpipe"), std::string::npos) << text;
  EXPECT_NE(text.find("GEMM on gpu0 (llvmpipe"), std::string::npos) << text;
  EXPECT_NE(text.find("fp32: no theoretical peak: a software device has no GPU architecture"), std::string::npos) << text;
  EXPECT_NE(text.find("its figures mean nothing as a GPU's"), std::string::npos) << text;
  // The CPU's tables hold none of the GPU's figures.
  const auto cpu_peak = text.find("Peak compute (register-resident kernels, one pinned thread per core)");
  ASSERT_NE(cpu_peak, std::string::npos) << text;
  const std::string cpu_part = text.substr(cpu_peak, text.find("\n\n", cpu_peak) - cpu_peak);
  EXPECT_EQ(cpu_part.find("vk-"), std::string::npos) << cpu_part;
}

TEST(DeviceTables, AHardwareGpuIsNotCalledSoftware) {
  const std::string text = text_of(run_with_gpu("gpu"));
  EXPECT_EQ(text.find("mean nothing"), std::string::npos) << text;
}

TEST(DeviceSections, TheHtmlReportGivesEachGpuASectionAndKeepsItOutOfTheCpus) {
  const std::string html = render_html(run_with_gpu("software"), test::synthetic_findings());
  const auto gpu = html.find("id=\"device-gpu0\"");
  ASSERT_NE(gpu, std::string::npos);
  const std::string section = html.substr(gpu, html.find("</section>", gpu) - gpu);
  for (const char* needle : {"Memory bandwidth on gpu0", "Transfers on gpu0", "Peak compute on gpu0", "GEMM on gpu0",
                             "is a software device"})
    EXPECT_NE(section.find(needle), std::string::npos) << needle;
  const auto memory = html.find("id=\"memory\"");
  ASSERT_NE(memory, std::string::npos);
  const std::string cpu_memory = html.substr(memory, html.find("</section>", memory) - memory);
  EXPECT_EQ(cpu_memory.find("vk-vec4"), std::string::npos);
}

}  // namespace
}  // namespace specgap::report
