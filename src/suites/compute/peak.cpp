#include "suites/compute/peak.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <map>
#include <mutex>

#include "backends/cpu/core_clock.h"
#include "backends/cpu/peak_check.h"
#include "backends/cpu/peak_kernels.h"
#include "backends/cpu/thread_team.h"
#include "core/clock.h"
#include "core/interrupt.h"
#include "core/stats.h"
#include "probe/peak_rates.h"

namespace specgap::suites {
namespace {

// Iterations per kernel call: about 2 ms of work per call at 4 GHz, and far below any closed form's
// exactness limit except fp16's (which then makes shorter calls).
constexpr uint64_t kIterationsPerCall = uint64_t{1} << 20;
// Long enough to average over a hypervisor's time slices the way a repetition does, so that on a
// shared host the clock and the kernel see the same share of the core.
constexpr double kClockProbeSeconds = 0.01;
// Before anything is sized or timed, every thread stays busy this long. A shared host that saw this
// VM idle may first run its busy vCPUs on SMT siblings of one core, each at half the FMA rate, until
// its scheduler spreads them: here the first 0.3-1 s of every run went at half rate (median of 8 runs
// by repetition: 62, 57, 64, then 91-96 GFLOP/s; docs/measurements.md). likwid-bench's calibration
// likewise keeps the cores busy for seconds before its timed run.
constexpr double kWarmupSeconds = 1.0;
struct alignas(64) MemberOutput {
  unsigned char bytes[cpu::kPeakMaxOutputBytes];
};

struct Variant {
  cpu::PeakKernelEntry kernel;
  uint64_t iterations = 0;
  uint64_t calls = 1;
  std::string check;
  std::vector<double> rates;  // ops/s per repetition, in the result's unit
  std::vector<double> ghz;    // core clock per repetition, median over threads
  std::optional<PeakRate> path_rate;
};

const char* convention(Dtype d) {
  switch (d) {
    case Dtype::bf16: return "dot product: each bf16 multiply counts 2 (multiply + add), 4 FLOP per fp32 lane";
    case Dtype::int8: return "dot product: each u8 x s8 multiply counts 2 (multiply + add), 8 OP per int32 lane";
    default: return "an FMA counts 2 FLOP";
  }
}

double unit_scale(Dtype) { return 1e12; }  // TFLOP/s and TOP/s

bool selected(const cpu::PeakKernelEntry& k, const PeakConfig& c) {
  const bool dtype_ok = c.dtypes.empty() || std::find(c.dtypes.begin(), c.dtypes.end(), k.dtype) != c.dtypes.end();
  const bool impl_ok = c.impls.empty() || std::find(c.impls.begin(), c.impls.end(), k.impl) != c.impls.end();
  return dtype_ok && impl_ok;
}

double ops_per_call(const Variant& v) {
  return static_cast<double>(v.iterations) * v.kernel.accumulators * v.kernel.ops_per_instruction;
}

// Runs `calls` calls on every member, checking each call's output; returns the nanoseconds of the
// parallel region and the first failure seen ("" when none).
struct TimedCalls {
  int64_t ns = 0;
  std::string failure;
};
TimedCalls run_calls(cpu::ThreadTeam& team, const Variant& v, uint64_t iterations, uint64_t calls,
                     std::vector<MemberOutput>& out) {
  const cpu::PeakOperands ops = cpu::peak_operands(v.kernel.dtype);
  std::mutex failure_mutex;
  std::string failure;
  TimedCalls t;
  t.ns = team.run_timed([&](size_t m) {
    for (uint64_t c = 0; c < calls; ++c) {
      v.kernel.fn(iterations, ops, out[m].bytes);
      std::string err = cpu::check_peak_output(v.kernel, iterations, out[m].bytes);
      if (!err.empty()) {
        std::lock_guard lock(failure_mutex);
        if (failure.empty()) failure = std::move(err);
        return;
      }
    }
  });
  t.failure = failure;
  return t;
}

double median_clock(cpu::ThreadTeam& team, uint64_t blocks) {
  std::vector<cpu::PaddedSum> ghz(team.size());
  team.run([&](size_t m) { ghz[m].value = cpu::measure_core_ghz(blocks).value_or(std::nan("")); });
  std::vector<double> values;
  for (auto& g : ghz) values.push_back(g.value);
  return median(values);
}

nlohmann::json rate_json(const std::optional<PeakRate>& rate) {
  if (!rate) return nullptr;
  return {{"ops_per_cycle_per_core", rate->ops_per_cycle}, {"basis", rate->basis}, {"source", rate->source},
          {"confidence", rate->confidence}};
}

// The fraction of the path's own peak a variant reached, at the clock it ran at.
double path_fraction(const Variant& v, int cores) {
  if (!v.path_rate || v.rates.empty() || v.ghz.empty()) return std::nan("");
  const auto peak = theoretical_peak(*v.path_rate, cores, median(v.ghz), v.kernel.dtype);
  return median(v.rates) * unit_scale(v.kernel.dtype) / peak.ops_per_second;
}

nlohmann::json variant_json(const Variant& v, int cores) {
  return {{"impl", v.kernel.impl},
          {"instruction", v.kernel.instruction},
          {"vector_bits", v.kernel.vector_bits},
          {"accumulators", v.kernel.accumulators},
          {"check", v.check},
          {"stats", stats_to_json(summarize(v.rates))},
          {"samples", v.rates},
          {"clock_ghz", v.ghz.empty() ? nlohmann::json(nullptr) : nlohmann::json(median(v.ghz))},
          {"path_peak", rate_json(v.path_rate)},
          {"fraction_of_path_peak", std::isfinite(path_fraction(v, cores)) ? nlohmann::json(path_fraction(v, cores))
                                                                          : nlohmann::json(nullptr)}};
}

Result dtype_result(Dtype d, const std::vector<Variant*>& variants, size_t threads, int cores) {
  Result r = compute_result("peak", d);
  const Variant* best = nullptr;
  for (auto* v : variants) {
    r.variants.push_back(variant_json(*v, cores));
    if (v->check == kCheckPassed && !v->rates.empty() && (!best || median(v->rates) > median(best->rates))) best = v;
  }
  if (!best) {
    r.value = std::nan("");
    r.check = "failed: no kernel passed its check (" + variants.front()->check + ")";
    return r;
  }
  r.impl = best->kernel.impl;
  r.stats = summarize(best->rates);
  r.value = r.stats.median;
  const double ghz = median(best->ghz);
  // The machine's peak for the dtype is that of its widest path, not of the kernel that won.
  std::optional<PeakRate> machine_rate;
  for (auto* v : variants)
    if (v->path_rate && (!machine_rate || v->path_rate->ops_per_cycle > machine_rate->ops_per_cycle))
      machine_rate = v->path_rate;
  nlohmann::json peak = nullptr;
  if (machine_rate && std::isfinite(ghz)) {
    const auto t = theoretical_peak(*machine_rate, cores, ghz, d);
    peak = rate_json(machine_rate);
    peak["formula"] = t.formula;
    peak["value"] = t.ops_per_second / unit_scale(d);
    peak["fraction"] = r.value * unit_scale(d) / t.ops_per_second;
  }
  const auto [ghz_min, ghz_max] = std::minmax_element(best->ghz.begin(), best->ghz.end());
  r.params = {{"threads", threads},
              {"cores", cores},
              {"instruction", best->kernel.instruction},
              {"accumulators", best->kernel.accumulators},
              {"iterations_per_call", best->iterations},
              {"calls_per_rep", best->calls},
              {"convention", convention(d)},
              {"clock_ghz", std::isfinite(ghz) ? nlohmann::json(ghz) : nlohmann::json(nullptr)},
              {"clock_min_ghz", *ghz_min},
              {"clock_max_ghz", *ghz_max},
              {"clock_method", "cycles per second delivered to each thread: a dependent integer-add chain (1 cycle per add) timed on every thread for 10 ms before and after each rep"},
              {"theoretical_peak", peak},
              {"best_rep", r.stats.max}};
  return r;
}

Result unsupported_result(Dtype d, const std::vector<cpu::MissingPeakKernel>& missing) {
  Result r = compute_result("peak", d);
  r.value = std::nan("");
  std::string reasons;
  for (auto& m : missing)
    if (m.dtype == d) reasons += (reasons.empty() ? "" : "; ") + m.impl + ": " + m.reason;
  r.check = "unsupported: " + (reasons.empty() ? std::string("no peak kernel for this architecture") : reasons);
  return r;
}

}  // namespace

std::string compute_unit(Dtype d) { return is_integer(d) ? "TOP/s" : "TFLOP/s"; }

Result compute_result(const std::string& name, Dtype d) {
  Result r;
  r.suite = "compute";
  r.device = "cpu";
  r.name = name;
  r.dtype = std::string(to_string(d));
  r.unit = compute_unit(d);
  return r;
}

std::vector<Result> measure_peak(const PeakConfig& config, RunSink& sink) {
  cpu::ThreadTeam team(config.cpus);
  const size_t threads = team.size();
  // Threads on SMT siblings share one core's FMA pipes: the theoretical peak counts cores, not threads.
  const int cores = config.cores > 0 ? config.cores : [&] {
    auto distinct = config.cpus;
    std::sort(distinct.begin(), distinct.end());
    return int(std::unique(distinct.begin(), distinct.end()) - distinct.begin());
  }();
  std::vector<MemberOutput> out(threads);

  std::vector<Variant> variants;
  for (const auto& k : cpu::peak_kernels())
    if (selected(k, config)) variants.push_back({k, std::min(kIterationsPerCall, cpu::peak_max_exact_iterations(k)),
                                                 1, "", {}, {}, peak_rate(config.uarch_id, k.dtype, k.vector_bits)});

  uint64_t clock_blocks = 0;
  team.run([&](size_t m) {
    if (m == 0) clock_blocks = cpu::add_chain_blocks_for(kClockProbeSeconds);
  });
  sink.progress("compute: warming up");
  const auto warmup_blocks = static_cast<uint64_t>(double(clock_blocks) * kWarmupSeconds / kClockProbeSeconds);
  team.run([&](size_t) { cpu::measure_core_ghz(warmup_blocks); });

  // Check each kernel (a short call and a full one), then size its repetitions. The checked runs
  // double as the warm-up some cores need before their wide units run at full rate.
  for (auto& v : variants) {
    throw_if_interrupted();
    sink.progress(fmt::format("compute: checking {} {}", to_string(v.kernel.dtype), v.kernel.impl));
    std::string failure = run_calls(team, v, 1000, 1, out).failure;
    if (failure.empty()) failure = run_calls(team, v, v.iterations, 1, out).failure;
    if (!failure.empty()) {
      v.check = "failed: " + failure;
      continue;
    }
    v.check = kCheckPassed;
    const int64_t ns = std::max<int64_t>(1, run_calls(team, v, v.iterations, 4, out).ns / 4);
    v.calls = std::max<uint64_t>(1, static_cast<uint64_t>(std::ceil(config.rep_seconds * 1e9 / double(ns))));
  }

  // Repetitions interleave every dtype's kernels: each dtype's power is taken over its own calls.
  std::map<Dtype, std::vector<TimedSpan>> timed;
  for (int rep = 0; rep < config.reps; ++rep) {
    for (auto& v : variants) {
      if (v.check != kCheckPassed) continue;
      throw_if_interrupted();
      // The clock is taken on every thread just before and just after the timed calls; one untimed
      // call between the probe and the timing wakes the wide units again (Zen 5 runs idle 512-bit
      // units slower for a while, cpu-uarch.md section 4).
      const double ghz_before = median_clock(team, clock_blocks);
      run_calls(team, v, v.iterations, 1, out);
      const int64_t begin = monotonic_ns();
      const TimedCalls t = run_calls(team, v, v.iterations, v.calls, out);
      timed[v.kernel.dtype].push_back({begin, monotonic_ns()});
      if (!t.failure.empty()) {
        v.check = "failed: " + t.failure;
        continue;
      }
      const double rate = threads * v.calls * ops_per_call(v) / (double(t.ns) * 1e-9) / unit_scale(v.kernel.dtype);
      const double ghz = (ghz_before + median_clock(team, clock_blocks)) / 2;
      v.rates.push_back(rate);
      v.ghz.push_back(ghz);
      sink.sample({"compute", "peak", v.kernel.impl, rate, compute_unit(v.kernel.dtype),
                   {{"dtype", to_string(v.kernel.dtype)}, {"rep", rep}, {"ns", t.ns}, {"threads", threads},
                    {"clock_ghz", std::isfinite(ghz) ? nlohmann::json(ghz) : nlohmann::json(nullptr)}}});
    }
    sink.progress(fmt::format("compute: peak rep {}/{}", rep + 1, config.reps));
  }

  // One result per dtype asked for, in the canonical order, measured or not.
  std::vector<Result> results;
  const auto missing = cpu::missing_peak_kernels();
  const auto available = cpu::peak_kernels();
  for (Dtype d : {Dtype::fp64, Dtype::fp32, Dtype::bf16, Dtype::fp16, Dtype::int8}) {
    if (!config.dtypes.empty() && std::find(config.dtypes.begin(), config.dtypes.end(), d) == config.dtypes.end())
      continue;
    std::vector<Variant*> of_dtype;
    for (auto& v : variants)
      if (v.kernel.dtype == d) of_dtype.push_back(&v);
    const bool filtered_out =
        std::any_of(available.begin(), available.end(), [&](const cpu::PeakKernelEntry& k) { return k.dtype == d; });
    if (of_dtype.empty() && filtered_out) continue;  // --impl left this dtype out; it is not unsupported
    Result r = of_dtype.empty() ? unsupported_result(d, missing) : dtype_result(d, of_dtype, threads, cores);
    r.timed = timed[d];
    sink.result(r);
    results.push_back(std::move(r));
  }
  return results;
}

}  // namespace specgap::suites
