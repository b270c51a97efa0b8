#pragma once
// A realistic run with every suite the HTML report draws (memory bandwidth, sweep and latency with
// plateaus, compute peak and GEMM, LLM pp/tg/TTFT/TPOT, a soak with telemetry per interval, a telemetry
// timeline) and findings in analysis/findings.h's schema with every part filled: what the report tests
// and the browser test render. The figures are shaped like a 16-core Zen 5 APU's, not measured.
#include <cmath>
#include <string>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "core/units.h"

namespace specgap::test {

inline Result make_result(const std::string& suite, const std::string& name, double value, const std::string& unit,
                          const std::string& impl, nlohmann::json params, std::optional<std::string> dtype = {}) {
  Result r;
  r.suite = suite;
  r.device = "cpu";
  r.name = name;
  r.dtype = std::move(dtype);
  r.value = value;
  r.unit = unit;
  r.impl = impl;
  r.params = std::move(params);
  r.stats.median = value;
  r.stats.mean = value * 0.99;
  r.stats.min = value * 0.95;
  r.stats.max = value * 1.02;
  r.stats.cv = 0.021;
  r.stats.reps = 10;
  return r;
}

// A working-set curve that steps down at each cache level: L1, L2, L3, then DRAM.
inline double curve_at(double bytes, double l1, double l2, double l3, double dram) {
  if (bytes <= 768 * 1024) return l1;
  if (bytes <= 16 * 1024 * 1024) return l2;
  if (bytes <= 64 * 1024 * 1024) return l3;
  return dram;
}

inline void add_memory(RunRecord& run) {
  const char* formulas[][2] = {{"copy", "c[i] = a[i]"}, {"scale", "b[i] = s*c[i]"}, {"add", "c[i] = a[i] + b[i]"},
                               {"triad", "a[i] = b[i] + s*c[i]"}, {"read", "sum += a[i]"}, {"write", "a[i] = s"}};
  double gbs = 212;
  for (auto& [name, formula] : formulas) {
    run.results.push_back(make_result("memory", name, gbs, "GB/s", "avx512-nt",
                                      {{"threads", 16}, {"array_bytes", 1073741824}, {"formula", formula},
                                       {"counting", "STREAM: 8 bytes per array element named in the formula"}}));
    gbs += 3.5;
  }
  for (const char* name : {"copy", "triad"}) {
    const bool triad = std::string(name) == "triad";
    for (double bytes = 16 * 1024; bytes <= 512.0 * 1024 * 1024; bytes *= 2) {
      auto r = make_result("memory", name, curve_at(bytes, triad ? 2900 : 2500, 1300, 640, 221), "GB/s", "avx512",
                           {{"kind", "sweep_point"}, {"working_set_bytes", uint64_t(bytes)}, {"threads", 16}});
      r.stats.reps = 7;
      run.results.push_back(r);
    }
  }
  for (double bytes = 16 * 1024; bytes <= 1024.0 * 1024 * 1024; bytes *= 4)
    run.results.push_back(make_result("memory", "latency", curve_at(bytes, 1.1, 3.6, 12.5, 118), "ns",
                                      "pointer-chase-random",
                                      {{"kind", "sweep_point"}, {"working_set_bytes", uint64_t(bytes)}, {"threads", 1}}));
  const struct {
    const char* level;
    uint64_t from, to;
    double triad, latency;
  } plateaus[] = {{"L1", 16 * KiB, 512 * KiB, 2900, 1.1},
                  {"L2", 1 * MiB, 16 * MiB, 1300, 3.6},
                  {"L3", 32 * MiB, 64 * MiB, 640, 12.5},
                  {"DRAM", 128 * MiB, 512 * MiB, 221, 118}};
  for (auto& p : plateaus) {
    run.results.push_back(make_result("memory", "triad", p.triad, "GB/s", "avx512",
                                      {{"kind", "plateau"}, {"level", p.level}, {"from_bytes", p.from},
                                       {"to_bytes", p.to}, {"points", 4}}));
    run.results.push_back(make_result("memory", "latency", p.latency, "ns", "pointer-chase-random",
                                      {{"kind", "plateau"}, {"level", p.level}, {"from_bytes", p.from},
                                       {"to_bytes", p.to}, {"points", 3}}));
  }
}

inline void add_compute(RunRecord& run) {
  const nlohmann::json peak_fp32 = {
      {"threads", 16}, {"instruction", "vfmadd231ps zmm"}, {"accumulators", 12}, {"clock_ghz", 5.05},
      {"convention", "an FMA counts 2 FLOP"},
      {"theoretical_peak", {{"formula", "16 cores x 5.05 GHz x 64 FLOP/cycle = 5171 GFLOP/s"}, {"value", 5.171},
                            {"source", "cpu-uarch.md 3.4"}, {"confidence", "derived"}, {"fraction", 0.6}}}};
  run.results.push_back(make_result("compute", "peak", 3.1, "TFLOP/s", "avx512-fma", peak_fp32, "fp32"));
  auto bf16 = peak_fp32;
  bf16["instruction"] = "vdpbf16ps zmm";
  run.results.push_back(make_result("compute", "peak", 5.8, "TFLOP/s", "avx512-bf16", bf16, "bf16"));
  auto int8 = make_result("compute", "peak", std::nan(""), "TOP/s", "", nlohmann::json::object(), "int8");
  int8.check = "unsupported: avx-vnni: no AVX-VNNI on this CPU";
  int8.stats = Stats{};
  run.results.push_back(int8);
  run.results.push_back(make_result("compute", "gemm", 2.9, "TFLOP/s", "onednn-packed",
                                    {{"threads", 16}, {"m", 4096}, {"n", 4096}, {"k", 4096}, {"library_version", "3.5.3"},
                                     {"kernel", "brg:avx512_core"}, {"environment", "in process"},
                                     {"counting", "2*m*n*k per call"}},
                                    "fp32"));
}

inline nlohmann::json llm_params(int n_prompt, int n_gen) {
  nlohmann::json p = {{"model", "preset llama-3.2-1b q4_0 (random weights, seed 1)"}, {"model_name", "llama-3.2-1b"},
                      {"quant", "q4_0"}, {"threads", 16}, {"depth", 0}, {"ubatch", 512}, {"kv_cache", "f16"},
                      {"model_bytes", 763097216}, {"parameters", 1235814400}, {"architecture", "llama"}};
  if (n_prompt) p["n_prompt"] = n_prompt;
  if (n_gen) p["n_gen"] = n_gen;
  return p;
}

inline void add_llm(RunRecord& run) {
  auto tg = llm_params(0, 128);
  tg["bytes_per_token"] = 764941968.0;
  tg["effective_bandwidth_gbps"] = 72.7;
  tg["fraction_of_read_bandwidth"] = 0.34;
  tg["read_bandwidth_gbps"] = 212.0;
  run.results.push_back(make_result("llm", "pp512", 1850, "tokens/s", "q4_0 avx512-vnni", llm_params(512, 0)));
  run.results.push_back(make_result("llm", "tg128", 95, "tokens/s", "q4_0 avx512-vnni", tg));
  run.results.push_back(make_result("llm", "ttft", 290, "ms", "q4_0 avx512-vnni", llm_params(512, 0)));
  run.results.push_back(make_result("llm", "tpot", 10.6, "ms", "q4_0 avx512-vnni", llm_params(0, 128)));
}

// Telemetry of a machine warming up: the clock sags and the package nears its limit after a minute.
inline TelemetryTick warm_tick(double t) {
  const double heat = std::min(1.0, t / 90);
  return {t,
          {{"cpu.busy_mean_mhz", 5050 - 450 * heat},
           {"hwmon.k10temp.tctl_c", 52 + 42 * heat},
           {"hwmon.k10temp.tctl_limit_c", 100},
           {"rapl.package-0_w", 118 - 16 * heat},
           {"cpu.util_pct", 99.5},
           {"cpu.steal_pct", 0.1}}};
}

inline void add_soak(RunRecord& run) {
  nlohmann::json intervals = nlohmann::json::array();
  for (int i = 0; i < 12; ++i) {
    const double from = i * 10.0, to = from + 10;
    const double rate = i < 7 ? 2900 - 15 * i : 2500 - 10 * i;
    nlohmann::json telemetry;
    for (auto& [channel, v] : warm_tick((from + to) / 2).readings) telemetry[channel] = v;
    intervals.push_back({{"interval", i + 1}, {"t_start", from}, {"t_end", to}, {"busy_seconds", 10.0},
                         {"work", rate * 10}, {"add_chain_clock_mhz", 5050 - 40 * i}, {"telemetry", telemetry}});
  }
  run.results.push_back(make_result(
      "soak", "gemm", 2450, "GFLOP/s", "onednn 3.5.3 fp32 2048^3",
      {{"workload", "gemm"}, {"seconds", 120.0}, {"interval_seconds", 10.0}, {"threads", 16},
       {"first_minute", 2860.0}, {"sustained_ratio", 0.857}, {"cv", 0.07}, {"drop_interval", 8},
       {"sustained_is", "median rate of the last minute"},
       {"conclusion", "fell: sustained 2450 GFLOP/s = 0.857 x the first 2860 GFLOP/s, from interval 8"},
       {"why", {"CPU clock down 9% (5050 -> 4600 MHz)", "hwmon.k10temp.tctl within 2 C of its 100 C limit"}},
       {"throttling", nlohmann::json::array()}, {"intervals", intervals}}));
}

inline RunRecord synthetic_run() {
  RunRecord run;
  run.run_id = "20260301T101500Z-5e1f2a";
  run.started_at = "2026-03-01T10:15:00Z";
  run.finished_at = "2026-03-01T10:31:12Z";
  run.status = "complete";
  run.command = "specgap audit";
  run.specgap_version = "0.5.0 (4c1d2e9)";
  run.machine = {
      {"cpu",
       {{"model_name", "AMD RYZEN AI MAX+ 395 w/ Radeon 8060S"}, {"vendor", "AuthenticAMD"}, {"family", 26},
        {"model", 112}, {"stepping", 0}, {"uarch_name", "AMD Zen 5"}, {"sockets", 1}, {"cores", 16}, {"threads", 32},
        {"smt", true}, {"isa", {"avx2", "avx512f", "avx512_bf16", "avx512_vnni"}}, {"freq_max_mhz", 5100},
        {"freq_source", "cpufreq"}, {"hypervisor", nullptr},
        {"caches", {{{"level", 1}, {"type", "data"}, {"size_bytes", 49152}, {"instances", 16}},
                    {{"level", 2}, {"type", "unified"}, {"size_bytes", 1048576}, {"instances", 16}},
                    {{"level", 3}, {"type", "unified"}, {"size_bytes", 33554432}, {"instances", 2}}}}}},
      {"memory", {{"total_bytes", 137438953472}, {"numa_nodes", 1}}},
      {"os", {{"kernel", "6.14.0"}, {"hostname", "halo"}}},
      {"gpus", nlohmann::json::array()},
      {"gpu_note", "no NVIDIA driver (libnvidia-ml.so.1 not found)"}};
  add_memory(run);
  add_compute(run);
  add_llm(run);
  add_soak(run);
  run.telemetry.hz = 10;
  run.telemetry.sources = {"apermperf", "hwmon", "rapl", "procstat"};
  run.telemetry.unavailable = {"NVIDIA GPUs: no libnvidia-ml.so.1"};
  for (double t = 0; t < 180; t += 0.5) run.timeline.push_back(warm_tick(t));
  run.samples = 480;
  return run;
}

inline nlohmann::json synthetic_findings() {
  return {
      {"recognised",
       {{{"device", "cpu"},
         {"name", "AMD RYZEN AI MAX+ 395 w/ Radeon 8060S"},
         {"system", {{"id", "amd-strix-halo"}, {"name", "AMD Ryzen AI Max+ 395 (Strix Halo)"}, {"kind", "apu"}}},
         {"how", "by its model name"}}}},
      {"verdicts",
       {{{"what", "memory bandwidth"}, {"claimed", 256.0}, {"delivered", 221.0}, {"unit", "GB/s"}, {"ratio", 0.863},
         {"claim_source", "https://www.amd.com/en/products/processors/laptop/ryzen/ai-300-series/amd-ryzen-ai-max-plus-395.html"},
         {"claim_kind", "spec"}, {"note", "delivered by triad avx512-nt, 16 threads"}},
        {{"what", "compute peak"}, {"dtype", "fp32"}, {"claimed", 5.171}, {"delivered", 3.1}, {"unit", "TFLOP/s"},
         {"ratio", 0.6}, {"claim_source", "16 cores x 5.05 GHz x 64 FLOP/cycle"}, {"claim_kind", "theoretical"},
         {"note", "delivered by peak avx512-fma"}},
        {{"what", "compute peak"}, {"dtype", "bf16"}, {"claimed", 50.0}, {"delivered", 5.8}, {"unit", "TFLOP/s"},
         {"ratio", 0.116}, {"claim_source", "AMD: 50 TOPS NPU + GPU (the CPU alone was measured)"},
         {"claim_kind", "spec"}, {"note", "the claim counts the GPU and NPU; only the CPU cores ran here"}}}},
      {"roofline",
       {{"bandwidth_gbs", 221.0},
        {"bandwidth_how", "triad avx512-nt, 16 threads, 1 GiB arrays"},
        {"ceilings",
         {{{"dtype", "fp32"}, {"gflops", 3100.0}, {"how", "peak avx512-fma"}},
          {{"dtype", "bf16"}, {"gflops", 5800.0}, {"how", "peak avx512-bf16"}}}},
        {"points",
         {{{"name", "tg128 decode"}, {"intensity", 1.6}, {"gflops", 116.0}, {"ceiling_dtype", "fp32"}, {"ridge", 14.0},
           {"bound", "memory"}, {"fraction", 0.33}},
          {{"name", "pp512 prefill"}, {"intensity", 320.0}, {"gflops", 2250.0}, {"ceiling_dtype", "fp32"},
           {"ridge", 14.0}, {"bound", "compute"}, {"fraction", 0.73}},
          {{"name", "gemm fp32 4096^3"}, {"intensity", 680.0}, {"gflops", 2900.0}, {"ceiling_dtype", "fp32"},
           {"ridge", 14.0}, {"bound", "compute"}, {"fraction", 0.94}}}}}},
      {"ranking",
       {{"model", "llama-3.2-1b"},
        {"quant", "q4_0"},
        {"rows",
         {{{"id", "nvidia-rtx-4090"}, {"name", "NVIDIA RTX 4090"}, {"kind", "gpu"}, {"this_machine", false},
           {"decode_tps", 410.0}, {"prefill_tps", 16000.0}, {"source", "projection"}, {"published_decode_tps", 405.0},
           {"price_usd", 1599.0},
           {"decode_per_kusd", 256.4}, {"watts", 450.0}, {"decode_per_watt", 0.91}},
          {{"id", "apple-m4-max"}, {"name", "Apple M4 Max"}, {"kind", "soc"}, {"this_machine", false},
           {"decode_tps", 190.0}, {"prefill_tps", 2400.0}, {"source", "projection"}, {"price_usd", 3499.0},
           {"decode_per_kusd", 54.3}},
          {{"id", "amd-strix-halo"}, {"name", "AMD Ryzen AI Max+ 395"}, {"kind", "apu"}, {"this_machine", true},
           {"decode_tps", 95.0}, {"prefill_tps", 1850.0}, {"source", "measured"}, {"price_usd", 1999.0},
           {"decode_per_kusd", 47.5}, {"watts", 110.0}, {"decode_per_watt", 0.86}},
          {{"id", "amd-epyc-9755"}, {"name", "AMD EPYC 9755"}, {"kind", "cpu"}, {"this_machine", false},
           {"decode_tps", 88.0}, {"source", "projection"}}}}}},
      {"advice",
       {"Decode is held by memory: 221 GB/s delivered of 256 GB/s claimed; a model twice the size decodes at half "
        "the rate.",
        "The bf16 claim counts the GPU and NPU; the CPU cores deliver 5.8 TFLOP/s of it.",
        "Under a two-minute GEMM the package reached 94 C and the clock fell 9%: plan sustained work at 0.86 x the "
        "first minute."}}};
}

}  // namespace specgap::test
