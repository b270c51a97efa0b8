// Each device of a machine recognised on its own, by its exact model, against the shipped catalog; and
// every claim held only against results of its own device.
#include <gtest/gtest.h>

#include "analysis/findings.h"
#include "support/cpu_result.h"

namespace specgap::analysis {
namespace {

const std::vector<catalog::System>& shipped() {
  static const auto systems = catalog::load_catalog({catalog::default_catalog_dir()});
  return systems;
}

using test::cpu_result;

// A run of CPU results only (DRAM-sized arrays, a 32 MiB last-level cache) on a machine with these names.
RunRecord cpu_run(const std::string& cpu, const std::vector<std::string>& gpus) {
  RunRecord run;
  run.machine = {{"cpu",
                  {{"model_name", cpu},
                   {"caches", {{{"level", 3}, {"type", "unified"}, {"size_bytes", 32 << 20}, {"instances", 1}}}}}},
                 {"memory", {{"total_bytes", 64e9}}},
                 {"gpus", nlohmann::json::array()}};
  for (size_t i = 0; i < gpus.size(); ++i) run.machine["gpus"].push_back({{"index", i}, {"name", gpus[i]}});
  run.results = {cpu_result("memory", "read", 90, "GB/s", {{"array_bytes", 1 << 30}, {"threads", 16}}),
                 cpu_result("compute", "peak", 2.0, "TFLOP/s", {}, "fp32")};
  return run;
}

// The catalog id a device was recognised as, "" when none.
std::string recognised_as(const nlohmann::json& findings, const std::string& device) {
  for (const auto& d : findings.value("recognised", nlohmann::json::array()))
    if (d.value("device", "") == device) return d["system"].is_object() ? d["system"].value("id", "") : "";
  ADD_FAILURE() << "no device " << device << " in " << findings.value("recognised", nlohmann::json()).dump();
  return "";
}

TEST(DeviceFindings, NearNamesAreOtherModels) {
  const std::vector<std::pair<std::string, std::string>> gpus = {
      {"NVIDIA GeForce RTX 3090", "nvidia-rtx-3090"}, {"NVIDIA GeForce RTX 3090 Ti", ""},
      {"NVIDIA GeForce RTX 4090", "nvidia-rtx-4090"}, {"NVIDIA GeForce RTX 4090 D", ""},
      {"NVIDIA H100 80GB HBM3", "nvidia-h100-sxm"},   {"NVIDIA H100 PCIe", ""},
      {"NVIDIA GB10", "nvidia-dgx-spark"},            {"NVIDIA GB100", ""},
      {"Radeon 8060S Graphics", "amd-strix-halo"},    {"AMD Radeon 8050S Graphics", ""}};
  for (const auto& [name, id] : gpus)
    EXPECT_EQ(recognised_as(audit_findings(cpu_run("Test Corp Widget 9000", {name}), shipped()), "gpu0"), id) << name;
  const std::vector<std::pair<std::string, std::string>> cpus = {
      {"AMD RYZEN AI MAX+ 395 w/ Radeon 8060S", "amd-strix-halo"},
      {"AMD Ryzen AI Max 390 w/ Radeon 8050S", ""},
      {"AMD EPYC 9755 128-Core Processor", "amd-epyc-9755"},
      {"AMD EPYC 9755X 128-Core Processor", ""},
      {"NVIDIA GeForce RTX 4090", ""}};  // a GPU's name is no CPU's
  for (const auto& [name, id] : cpus) EXPECT_EQ(recognised_as(audit_findings(cpu_run(name, {}), shipped()), "cpu"), id) << name;
}

TEST(DeviceFindings, AnUnlistedCpuBesideAnRtx4090IsNotTheGpuAndNoCpuResultMeetsAGpuClaim) {
  const auto f = audit_findings(cpu_run("Test Corp Widget 9000", {"NVIDIA GeForce RTX 4090"}), shipped());
  EXPECT_EQ(recognised_as(f, "cpu"), "");
  EXPECT_EQ(recognised_as(f, "gpu0"), "nvidia-rtx-4090");
  bool gpu_bandwidth = false;
  for (const auto& v : f["verdicts"]) {
    if (v["claim_kind"] != "spec") continue;
    EXPECT_EQ(v["device"], "gpu0") << v.dump();
    EXPECT_TRUE(v["delivered"].is_null() && v["ratio"].is_null()) << "a CPU figure held against the 4090: " << v.dump();
    // Only NVML lists this 4090 (the record has no Vulkan device): no suite can reach it, and it says so.
    EXPECT_NE(v["note"].get<std::string>().find("no Vulkan driver lists this GPU"), std::string::npos) << v.dump();
    gpu_bandwidth |= v["what"] == "memory bandwidth" && v["claimed"] == 1008;
  }
  EXPECT_TRUE(gpu_bandwidth) << "the 4090's claims are shown, as not measured: " << f["verdicts"].dump();
  for (const auto& a : f["advice"]) EXPECT_EQ(a.get<std::string>().find("1008"), std::string::npos) << a;
}

TEST(DeviceFindings, AnApuRecognisedByItsGpuHoldsOnlyItsSharedMemoryClaimAgainstTheCpu) {
  const auto f = audit_findings(cpu_run("Cortex-X925", {"NVIDIA GB10"}), shipped());
  EXPECT_EQ(recognised_as(f, "cpu"), "nvidia-dgx-spark");
  EXPECT_EQ(recognised_as(f, "gpu0"), "nvidia-dgx-spark");
  bool cpu_bandwidth = false, gpu_fp32 = false;
  for (const auto& v : f["verdicts"]) {
    if (v["claim_kind"] != "spec") continue;
    if (v["device"] == "cpu") {
      // The 273 GB/s both devices share, not the GPU's 31 TFLOP/s fp32 against the CPU's 2.
      EXPECT_EQ(v["what"], "memory bandwidth") << v.dump();
      EXPECT_NEAR(v["ratio"].get<double>(), 90.0 / 273, 1e-9);
      cpu_bandwidth = true;
    } else {
      EXPECT_TRUE(v["ratio"].is_null()) << v.dump();
      gpu_fp32 |= v["dtype"] == "fp32" && v["claimed"] == 31;
    }
  }
  EXPECT_TRUE(cpu_bandwidth && gpu_fp32) << f["verdicts"].dump();
}


// A GPU measured through the Vulkan backend is named gpuN by the loader's order: its claims are held
// against its own figures (DRAM-sized arrays: 512 MiB and more), and a software device beside it is
// never a catalog system.
TEST(DeviceFindings, AGpuMeasuredThroughVulkanMeetsItsOwnClaims) {
  RunRecord run = cpu_run("Test Corp Widget 9000", {"NVIDIA GeForce RTX 4090"});
  run.machine["vulkan"] = {{{"index", 0}, {"name", "llvmpipe (LLVM 15.0.6, 256 bits)"}, {"kind", "software"}},
                           {{"index", 1}, {"name", "NVIDIA GeForce RTX 4090"}, {"kind", "gpu"}}};
  for (const char* device : {"gpu0", "gpu1"}) {
    Result bw = test::cpu_result("memory", "copy", 900, "GB/s", {{"array_bytes", 1 << 30}});
    bw.device = device;
    if (bw.device == "gpu0") bw.params["device_kind"] = "software";
    run.results.push_back(bw);
  }
  Result gemm = test::cpu_result("compute", "gemm", 60, "TFLOP/s",
                                 {{"m", 4096}, {"n", 4096}, {"k", 4096}, {"matrix_units", true}}, "fp16");
  gemm.device = "gpu1";
  run.results.push_back(gemm);
  Result small = test::cpu_result("memory", "triad", 2000, "GB/s", {{"array_bytes", 64 << 20}});
  small.device = "gpu1";  // a cache-sized array: never the GPU's DRAM bandwidth
  run.results.push_back(small);
  const auto f = audit_findings(run, shipped());
  EXPECT_EQ(recognised_as(f, "gpu1"), "nvidia-rtx-4090");
  for (const auto& d : f["recognised"]) EXPECT_NE(d["device"], "gpu0") << "a software device recognised: " << d.dump();
  bool bandwidth = false;
  for (const auto& v : f["verdicts"]) {
    if (v["claim_kind"] != "spec" || v["what"] != "memory bandwidth") continue;
    EXPECT_EQ(v["device"], "gpu1") << v.dump();
    EXPECT_EQ(v["claimed"], 1008) << v.dump();
    EXPECT_EQ(v["delivered"], 900) << v.dump();
    bandwidth = true;
  }
  EXPECT_TRUE(bandwidth) << f["verdicts"].dump(1);
  // Its roofline is its own, and the CPU's holds no GPU point.
  ASSERT_EQ(f["device_rooflines"].size(), 1u) << f["device_rooflines"].dump();
  EXPECT_EQ(f["device_rooflines"][0]["device"], "gpu1");
  EXPECT_EQ(f["device_rooflines"][0]["roofline"]["bandwidth_gbs"], 900);
  EXPECT_EQ(f["device_rooflines"][0]["roofline"]["points"].size(), 1u);
  for (const auto& p : f["roofline"]["points"]) EXPECT_EQ(p["name"].get<std::string>().find("gemm"), std::string::npos) << p;
}

// A GPU's fp16 GEMM from its vector units (the tiled shader) is never held against the fp16 claim,
// which is its matrix cores': the claim says why it stands alone, and the figure is no ceiling.
TEST(DeviceFindings, AGpusVectorUnitFigureIsNotHeldAgainstAMatrixCoreClaim) {
  RunRecord run = cpu_run("Test Corp Widget 9000", {"NVIDIA GeForce RTX 4090"});
  run.machine["vulkan"] = {{{"index", 0}, {"name", "NVIDIA GeForce RTX 4090"}, {"kind", "gpu"}}};
  Result gemm = test::cpu_result("compute", "gemm", 40, "TFLOP/s",
                                 {{"m", 4096}, {"n", 4096}, {"k", 4096}, {"matrix_units", false}}, "fp16");
  gemm.device = "gpu0";
  run.results.push_back(gemm);
  const auto f = audit_findings(run, shipped());
  bool fp16 = false;
  for (const auto& v : f["verdicts"]) {
    if (v["claim_kind"] != "spec" || v["dtype"] != "fp16") continue;
    EXPECT_TRUE(v["delivered"].is_null()) << v.dump();
    EXPECT_NE(v["note"].get<std::string>().find("ran on its vector units"), std::string::npos) << v.dump();
    fp16 = true;
  }
  EXPECT_TRUE(fp16) << f["verdicts"].dump(1);
}

}  // namespace
}  // namespace specgap::analysis
