// The audit's one screen: each device in its own section with only its own claims, every failed
// check named, and a realistic run within 40 lines of 100 columns.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "report/audit_summary.h"
#include "report/synthetic_run.h"

namespace specgap::report {
namespace {

using test::make_result;

// The synthetic Zen 5 run (CPU memory, compute, LLM, soak) with a GPU beside it: its own results, a
// catalog claim measured and two not, a failed check, a larger model's short LLM test, and two
// stages the budget skipped. As much as an audit prints on a machine with a GPU.
struct GpuRun {
  RunRecord run = test::synthetic_run();
  nlohmann::json findings = test::synthetic_findings();
  AuditEnd end{{"gpu0 compute (needs about 30 s, 12 s of the budget left before the soak)",
                "llama-3.1-8b q4_k_m (needs about 95 s, 12 s of the budget left before the soak)"},
               "/home/me/.local/share/specgap/20260301T101500Z-5e1f2a.html",
               "specgap report 20260301T101500Z-5e1f2a"};

  GpuRun() {
    auto bw = make_result("memory", "copy", 905, "GB/s", "cuda", {{"array_bytes", 1 << 30}});
    bw.device = "gpu0";
    auto gemm = make_result("compute", "gemm", 148, "TFLOP/s", "cublas", {{"m", 4096}}, "fp16");
    gemm.device = "gpu0";
    auto broken = make_result("compute", "gemm", std::nan(""), "TFLOP/s", "cublas", {{"m", 4096}}, "bf16");
    broken.device = "gpu0";
    broken.check = "failed: max relative error 3.2e-2 above the 1e-3 allowed at element (17, 4090) of the 4096^2 result";
    run.results.insert(run.results.end(), {bw, gemm, broken});
    auto big = test::llm_params(64, 0);
    big["model_name"] = "llama-3.1-8b";
    big["quant"] = "q4_k";
    run.results.push_back(make_result("llm", "pp64", 212, "tokens/s", "q4_k avx512", big));
    big["n_gen"] = 16;
    run.results.push_back(make_result("llm", "tg16", 14.2, "tokens/s", "q4_k avx512", big));
    run.machine["gpus"] = {{{"index", 0}, {"name", "NVIDIA GeForce RTX 4090"}}};

    findings["recognised"].push_back({{"device", "gpu0"},
                                      {"name", "NVIDIA GeForce RTX 4090"},
                                      {"system", {{"id", "nvidia-rtx-4090"}, {"name", "NVIDIA GeForce RTX 4090"}, {"kind", "gpu"}}},
                                      {"how", "by its name"}});
    auto claim = [&](std::string what, nlohmann::json dtype, double claimed, nlohmann::json delivered, std::string unit) {
      nlohmann::json ratio = delivered.is_number() ? nlohmann::json(delivered.get<double>() / claimed) : nlohmann::json();
      findings["verdicts"].push_back({{"what", what}, {"device", "gpu0"}, {"dtype", dtype}, {"claimed", claimed},
                                      {"delivered", delivered}, {"unit", unit}, {"ratio", ratio},
                                      {"claim_source", "nvidia.com"}, {"claim_kind", "spec"}, {"note", ""}});
    };
    claim("memory bandwidth", nullptr, 1008, 905, "GB/s");
    claim("compute", "fp16", 165.2, 148, "TFLOP/s");
    claim("compute", "fp8", 330.3, nullptr, "TFLOP/s");
    claim("compute", "fp4", 660.6, nullptr, "TFLOP/s");
    for (auto& v : findings["verdicts"])
      if (!v.contains("device")) v["device"] = "cpu";
    findings["ranking"]["model"] = "llama-3.1-8b";
    findings["ranking"]["quant"] = "q4_k_m";
    findings["device_rooflines"] = {{{"device", "gpu0"},
                                     {"roofline",
                                      {{"bandwidth_gbs", 905},
                                       {"ceilings", {{{"dtype", "fp16"}, {"gflops", 148000}}}},
                                       {"points",
                                        {{{"name", "gemm fp16 4096x4096x4096"}, {"bound", "compute"},
                                          {"fraction", 1.0}}}}}}}};
  }

  std::vector<std::string> lines() const { return audit_summary(findings, run, end); }
};

size_t columns(const std::string& s) {
  return std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
}

// The lines of the section headed by `device`, up to the next blank line.
std::vector<std::string> section(const std::vector<std::string>& lines, const std::string& device) {
  auto head = std::find_if(lines.begin(), lines.end(), [&](const std::string& l) { return l.rfind(device + "  ", 0) == 0; });
  if (head == lines.end()) return {};
  return {head, std::find(head, lines.end(), "")};
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

TEST(AuditSummary, NamesTheCpuAndTheGpuEachInTheirOwnSectionCpuFirst) {
  const auto lines = GpuRun().lines();
  const auto cpu = section(lines, "cpu"), gpu = section(lines, "gpu0");
  ASSERT_FALSE(cpu.empty()) << joined(lines);
  ASSERT_FALSE(gpu.empty()) << joined(lines);
  EXPECT_NE(cpu[0].find("AMD RYZEN AI MAX+ 395"), std::string::npos) << cpu[0];
  EXPECT_NE(gpu[0].find("NVIDIA GeForce RTX 4090 (gpu, catalog: NVIDIA GeForce RTX 4090)"), std::string::npos) << gpu[0];
  EXPECT_LT(std::find(lines.begin(), lines.end(), cpu[0]), std::find(lines.begin(), lines.end(), gpu[0]));
  // The LLM ran on the CPU: its rates, under the tests' own names, are in the CPU's section only.
  const std::string c = joined(cpu);
  EXPECT_NE(c.find("llama-3.2-1b q4_0: pp512 1850.0 tok/s, tg128 95.00 tok/s, TTFT 290.0 ms"), std::string::npos) << c;
  EXPECT_NE(c.find("llama-3.1-8b q4_k: pp64 212.0 tok/s, tg16 14.20 tok/s"), std::string::npos) << c;
  EXPECT_EQ(joined(gpu).find("tok/s"), std::string::npos) << joined(gpu);
}

TEST(AuditSummary, AGpuClaimIsNeverListedUnderTheCpu) {
  const auto lines = GpuRun().lines();
  const std::string cpu = joined(section(lines, "cpu")), gpu = joined(section(lines, "gpu0"));
  EXPECT_NE(gpu.find("memory bandwidth  1008.0 GB/s claimed"), std::string::npos) << gpu;
  EXPECT_NE(gpu.find("delivered 905.0 (0.90)"), std::string::npos) << gpu;
  EXPECT_NE(gpu.find("claimed, not measured here: compute fp8, compute fp4"), std::string::npos) << gpu;
  EXPECT_EQ(cpu.find("1008"), std::string::npos) << cpu;
  EXPECT_EQ(cpu.find("fp8"), std::string::npos) << cpu;
  EXPECT_NE(cpu.find("memory bandwidth   256.0 GB/s claimed"), std::string::npos) << cpu;
  EXPECT_EQ(gpu.find("256.0 GB/s"), std::string::npos) << gpu;
}

TEST(AuditSummary, ADeviceWithNoCatalogClaimSaysSo) {
  GpuRun g;
  auto& verdicts = g.findings["verdicts"];
  for (auto it = verdicts.begin(); it != verdicts.end();)
    it = (*it)["device"] == "cpu" && (*it)["claim_kind"] == "spec" ? verdicts.erase(it) : it + 1;
  const std::string cpu = joined(section(g.lines(), "cpu")), gpu = joined(section(g.lines(), "gpu0"));
  EXPECT_NE(cpu.find("no catalog claim for this device"), std::string::npos) << cpu;
  EXPECT_NE(cpu.find("compute fp32"), std::string::npos) << "its theoretical peak stays: " << cpu;
  EXPECT_EQ(gpu.find("no catalog claim"), std::string::npos) << gpu;
}

TEST(AuditSummary, EveryFailedCheckIsNamedWithItsWholeReason) {
  const std::string text = joined(GpuRun().lines());
  const auto at = text.find("FAILED gpu0 compute gemm bf16: max relative error 3.2e-2");
  ASSERT_NE(at, std::string::npos) << text;
  // Folded to fit, never cut: the reason's last words are there.
  std::string unfolded = text.substr(at, text.find("\n", text.find("4096^2", at)) - at);
  std::string words;
  for (size_t i = 0; i < unfolded.size(); ++i)
    if (unfolded[i] == '\n') {
      while (i + 1 < unfolded.size() && unfolded[i + 1] == ' ') ++i;
      words += ' ';
    } else {
      words += unfolded[i];
    }
  EXPECT_NE(words.find("at element (17, 4090) of the 4096^2 result"), std::string::npos) << text;
  EXPECT_NE(text.find("not measurable on this hardware: cpu compute peak int8"), std::string::npos) << text;
  EXPECT_NE(text.find("skipped gpu0 compute (needs about 30 s"), std::string::npos) << text;
}

TEST(AuditSummary, AGpuSaysWhatBindsItFromItsOwnRoofline) {
  GpuRun g;
  EXPECT_NE(joined(section(g.lines(), "gpu0")).find("bottleneck: gemm fp16 4096x4096x4096 compute-bound at 1.00"),
            std::string::npos)
      << joined(g.lines());
  g.findings["device_rooflines"] = nlohmann::json::array();
  EXPECT_NE(joined(section(g.lines(), "gpu0")).find("bottleneck: no roofline for this device (no DRAM bandwidth"),
            std::string::npos)
      << joined(g.lines());
}

TEST(AuditSummary, SaysTheBottleneckTheRankTheReportAndTheCommandForEveryTable) {
  const std::string text = joined(GpuRun().lines());
  EXPECT_NE(text.find("decode:  tg128 memory-bound at 0.33 of 221.0 GB/s"), std::string::npos) << text;
  EXPECT_NE(text.find("prefill: pp512 compute-bound at 0.73 of the measured fp32 peak"), std::string::npos) << text;
  EXPECT_NE(text.find("rank:    #3 of 4 on llama-3.1-8b q4_k_m decode, 95.00 tok/s (measured)"), std::string::npos) << text;
  EXPECT_NE(text.find("advice:\n"), std::string::npos) << text;
  EXPECT_NE(text.find("HTML report: /home/me/.local/share/specgap/20260301T101500Z-5e1f2a.html\n"
                      "every table: specgap report 20260301T101500Z-5e1f2a\n"),
            std::string::npos)
      << text;
}

TEST(AuditSummary, AdviceTakesAtMostThreeLinesAndLeavesOutWhatTheBottleneckSaid) {
  GpuRun g;
  g.findings["advice"] = {"Decode (tg128 decode) is bandwidth-bound here.", "One.", "Two.", "Three.",
                          std::string(300, 'x') + " four"};
  const auto lines = g.lines();
  const auto head = std::find(lines.begin(), lines.end(), "advice (3 of 4; all in the report):");
  ASSERT_NE(head, lines.end()) << joined(lines);
  EXPECT_EQ(*(head + 1), "  One.");
  EXPECT_EQ(*(head + 3), "  Three.");
  EXPECT_EQ(joined(lines).find("bandwidth-bound here"), std::string::npos) << joined(lines);
  g.findings["advice"] = {std::string(300, 'x') + " long"};
  const auto cut = g.lines();
  const auto one = std::find(cut.begin(), cut.end(), "advice:");
  ASSERT_NE(one, cut.end()) << joined(cut);
  EXPECT_LE(columns(*(one + 1)), size_t(kSummaryColumns));
  EXPECT_EQ((one + 1)->substr((one + 1)->size() - 3), "…");
}

TEST(AuditSummary, ARealisticRunFitsOneScreen) {
  const auto lines = GpuRun().lines();
  EXPECT_LE(lines.size(), 40u) << joined(lines);
  for (const auto& l : lines) EXPECT_LE(columns(l), size_t(kSummaryColumns)) << l;
}

TEST(AuditSummary, SaysWhichRoofIsMissingWhenTheLlmHasNoPointOnTheRoofline) {
  GpuRun g;
  g.findings["roofline"]["ceilings"] = nlohmann::json::array();
  g.findings["roofline"]["points"] = nlohmann::json::array();
  EXPECT_NE(joined(g.lines()).find("bottleneck: no roofline to place decode and prefill on (no compute peak measured)"),
            std::string::npos)
      << joined(g.lines());
  g.findings["roofline"] = {{"ceilings", nlohmann::json::array()}, {"points", nlohmann::json::array()}};
  EXPECT_NE(joined(g.lines()).find("bottleneck: no roofline (no memory bandwidth measured)"), std::string::npos)
      << joined(g.lines());
}

TEST(AuditSummary, ARunThatStoppedSaysSo) {
  GpuRun g;
  g.run.status = "interrupted";
  EXPECT_NE(joined(g.lines()).find("\nrun interrupted\n"), std::string::npos) << joined(g.lines());
}

}  // namespace
}  // namespace specgap::report
