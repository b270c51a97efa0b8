// The audit's findings from plain data: recognising a catalog system, its claims held against what
// was measured, the roofline's bounds, the ranking's row for this machine, and the advice.
#include <gtest/gtest.h>

#include <algorithm>

#include "analysis/findings.h"
#include "analysis/roofline.h"
#include "support/cpu_result.h"

namespace specgap::analysis {
namespace {

using test::cpu_result;

RunRecord a_run() {
  RunRecord run;
  run.machine = {{"cpu", {{"model_name", "Test Corp Widget 9000 16-Core Processor"}}},
                 {"memory", {{"total_bytes", 64e9}}},
                 {"gpus", nlohmann::json::array()}};
  run.results = {
      cpu_result("memory", "triad", 80, "GB/s", {{"array_bytes", 1 << 30}, {"threads", 16}}),
      cpu_result("memory", "read", 90, "GB/s", {{"array_bytes", 1 << 30}, {"threads", 16}}),
      cpu_result("memory", "triad", 900, "GB/s", {{"kind", "sweep_point"}}),  // in cache: not DRAM
      cpu_result("compute", "peak", 2.0, "TFLOP/s", {}, "fp32"),
      cpu_result("compute", "gemm", 1.6, "TFLOP/s", {{"m", 4096}, {"n", 4096}, {"k", 4096}}, "fp32"),
      cpu_result("compute", "gemm", 3.2, "TOP/s", {{"m", 4096}, {"n", 4096}, {"k", 4096}}, "int8"),
      cpu_result("llm", "tg128", 40, "tokens/s", {{"model_name", "llama-3.2-1b"}, {"quant", "q4_0"}, {"depth", 0}}),
      cpu_result("llm", "pp512", 300, "tokens/s", {{"model_name", "llama-3.2-1b"}, {"quant", "q4_0"}, {"depth", 0}}),
  };
  return run;
}

catalog::System widget() {
  catalog::System s;
  s.id = "test-widget";
  s.name = "Test Widget 9000";
  s.kind = "cpu";
  s.match_cpu = {"Test Corp Widget 9000 16-Core Processor"};
  catalog::Figure bw;
  bw.what = "memory_bandwidth";
  bw.value = 100;
  bw.unit = "GB/s";
  bw.source = "spec sheet";
  bw.device = "cpu";
  catalog::Figure fp32 = bw;
  fp32.what = "compute";
  fp32.dtype = "fp32";
  fp32.value = 4;
  fp32.unit = "TFLOP/s";
  fp32.detail = {{"clock_assumption", "boost 5 GHz"}};
  catalog::Figure npu = fp32;
  npu.device = "npu";
  npu.dtype = "int8";
  npu.value = 50;
  npu.unit = "TOP/s";
  npu.detail = {{"name", "NPU (XDNA 2)"}};
  s.claims = {bw, fp32, npu};
  return s;
}

TEST(Findings, RecogniseTheSystemAndHoldItsClaimsAgainstTheBestMeasured) {
  const auto f = audit_findings(a_run(), {widget()});
  EXPECT_EQ(f["recognised"][0]["device"], "cpu");
  EXPECT_EQ(f["recognised"][0]["system"]["id"], "test-widget");
  bool memory = false, compute = false;
  for (const auto& v : f["verdicts"]) {
    if (v["claim_kind"] != "spec") continue;
    if (v["what"] == "memory bandwidth") {
      memory = true;
      EXPECT_DOUBLE_EQ(v["ratio"].get<double>(), 0.9);  // read 90 of 100 GB/s; the cached 900 is not DRAM
    }
    if (v["what"] == "compute") {
      compute = true;
      EXPECT_DOUBLE_EQ(v["ratio"].get<double>(), 0.5);  // the best of peak and GEMM: 2 of 4 TFLOP/s
      EXPECT_NE(v["note"].get<std::string>().find("boost 5 GHz"), std::string::npos);
    }
  }
  EXPECT_TRUE(memory && compute) << f["verdicts"].dump();
  for (const auto& v : f["verdicts"]) EXPECT_NE(v["dtype"], "int8") << "an NPU claim is not held against a CPU kernel";
}

TEST(Findings, AnUnknownMachineGetsNoSpecVerdictsButEverythingElse) {
  const auto f = audit_findings(a_run(), {});
  EXPECT_TRUE(f["recognised"][0]["system"].is_null());
  for (const auto& v : f["verdicts"]) EXPECT_NE(v["claim_kind"], "spec");
  EXPECT_FALSE(f["roofline"]["points"].empty());
  ASSERT_FALSE(f["ranking"]["rows"].empty());
  EXPECT_EQ(f["ranking"]["rows"][0]["this_machine"], true);
  EXPECT_FALSE(f["advice"].empty());
}

// MXFP4 experts are multiplied against 8-bit activations as integers too: a GPT-OSS prefill is held
// against the int8 ceiling, not fp32's (which it would exceed).
TEST(Roofline, MxfpFourIsHeldAgainstTheIntegerCeiling) {
  auto run = a_run();
  run.results.push_back(cpu_result("llm", "pp64", 80, "tokens/s", {{"model_name", "gpt-oss-20b"}, {"quant", "mxfp4"}, {"depth", 0}}));
  const auto figures = machine_figures(run.results, run.machine);
  const auto r = roofline(figures, run.results);
  ASSERT_TRUE(r);
  const auto p = std::find_if(r->points.begin(), r->points.end(), [](const RooflinePoint& p) { return p.name.find("gpt-oss") != std::string::npos; });
  ASSERT_NE(p, r->points.end());
  EXPECT_EQ(p->ceiling_dtype, "int8");
}

TEST(Roofline, DecodeIsLeftOfTheRidgeAndPrefillRightOfIt) {
  const auto run = a_run();
  const auto figures = machine_figures(run.results, run.machine);
  const auto r = roofline(figures, run.results);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->bandwidth_gbs, 90);
  std::map<std::string, RooflinePoint> by_stage;
  for (const auto& p : r->points) by_stage[p.name.substr(0, p.name.rfind("gemm fp32", 0) == 0 ? 9 : 2)] = p;
  ASSERT_TRUE(by_stage.count("tg") && by_stage.count("pp") && by_stage.count("gemm fp32"));
  EXPECT_EQ(by_stage["tg"].bound, "memory");
  // Q4_0 is multiplied as integers: the int8 ceiling (3.2 TOP/s), not fp32's.
  EXPECT_EQ(by_stage["tg"].ceiling_dtype, "int8");
  EXPECT_NEAR(by_stage["tg"].ridge, 3200.0 / 90, 1e-9);
  EXPECT_LT(by_stage["tg"].intensity, 4);                 // about 2 FLOP per 0.56-byte weight
  EXPECT_EQ(by_stage["pp"].bound, "compute");
  EXPECT_EQ(by_stage["gemm fp32"].bound, "compute");  // 4096^3 fp32: 680 FLOP per byte
  EXPECT_NEAR(by_stage["gemm fp32"].fraction, 0.8, 1e-9);  // 1.6 of the 2.0 TFLOP/s peak
  for (const auto& p : r->points) EXPECT_LE(p.fraction, 1.0 + 1e-9) << p.name;

  const auto advice = audit_findings(run, {})["advice"];
  EXPECT_TRUE(std::any_of(advice.begin(), advice.end(), [&](const nlohmann::json& a) {
    const auto text = a.get<std::string>();  // the decode sentence names which bandwidth it holds decode against
    return text.find("bandwidth-bound") != std::string::npos && text.find(r->bandwidth_how) != std::string::npos;
  })) << advice.dump();
}

// A soak shorter than two minutes compares its first half with its last: the advice says how long that
// was, not "the first minute".
TEST(Findings, SoakAdviceNamesTheStretchItComparedWith) {
  RunRecord run = a_run();
  nlohmann::json intervals = nlohmann::json::array();
  for (int i = 0; i < 4; ++i) intervals.push_back({{"t_start", 3.0 + 10 * i}, {"t_end", 13.0 + 10 * i}, {"work", 1.0}});
  run.results.push_back(cpu_result("soak", "triad", 68, "GB/s", {{"sustained_ratio", 0.85}, {"intervals", intervals}}));
  const auto advice = audit_findings(run, {})["advice"];
  std::string soak;
  for (const auto& a : advice)
    if (a.get<std::string>().find("(triad)") != std::string::npos) soak = a.get<std::string>();
  EXPECT_NE(soak.find("0.85 of the first 20 s"), std::string::npos) << advice.dump();
  EXPECT_EQ(soak.find("minute"), std::string::npos) << soak;
}

TEST(Roofline, NeedsAMeasuredBandwidth) {
  RunRecord run = a_run();
  run.results.erase(run.results.begin(), run.results.begin() + 3);
  EXPECT_FALSE(roofline(machine_figures(run.results, run.machine), run.results));
}

}  // namespace
}  // namespace specgap::analysis
