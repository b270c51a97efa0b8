#include "suites/memory/bandwidth.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "core/interrupt.h"
#include "core/stats.h"
#include "core/units.h"
#include "suites/memory/stream_arrays.h"

namespace specgap::suites {
namespace {
struct Variant {
  cpu::MemKernel kernel;
  std::string check;  // "" until checked; kCheckPassed or "failed: ..."
  std::vector<double> gbps;
};

std::vector<cpu::MemKernel> selected_kernels(cpu::MemOp op, const std::vector<std::string>& impls) {
  std::vector<cpu::MemKernel> out;
  for (auto& k : cpu::memory_kernels(op))
    if (impls.empty() || std::find(impls.begin(), impls.end(), k.impl) != impls.end()) out.push_back(k);
  return out;
}

// One timed pass of `kernel` over the first n elements, split across the team: nanoseconds.
int64_t time_pass(const cpu::MemKernel& kernel, const StreamArrays& arrays, size_t n, cpu::ThreadTeam& team,
                 std::vector<cpu::PaddedSum>& sums) {
  const auto x = arrays.arrays();
  const auto fn = kernel.fn;
  return team.run_timed([&](size_t m) {
    const auto r = cpu::split_range(n, team.size(), m);
    sums[m].value = fn(x, r.begin, r.end, kStreamScalar);
  });
}

// The read sampler's elements: at least one per thread, or the sample would time nothing.
size_t elements_for(uint64_t array_bytes, const cpu::ThreadTeam& team) {
  const size_t n = array_bytes / sizeof(double);
  if (n < team.size())
    throw UsageError(fmt::format("read-bandwidth sampler: an array of {} bytes; need at least {} ({} per thread)",
                                 array_bytes, team.size() * sizeof(double), sizeof(double)));
  return n;
}

nlohmann::json variant_json(const Variant& v) {
  return {{"impl", v.kernel.impl}, {"isa", v.kernel.isa}, {"nontemporal", v.kernel.nontemporal},
          {"check", v.check}, {"stats", stats_to_json(summarize(v.gbps))}, {"samples", v.gbps}};
}
}  // namespace

uint64_t stream_bytes(cpu::MemOp op, uint64_t elements) {
  const auto& info = cpu::mem_op_info(op);
  return uint64_t(info.arrays_read + info.arrays_written) * elements * sizeof(double);
}

std::vector<Result> measure_bandwidth(const BandwidthConfig& config, RunSink& sink) {
  cpu::ThreadTeam team(config.cpus);
  const size_t n = config.array_bytes / sizeof(double);
  sink.progress(fmt::format("memory: first-touching 3 x {} with {} threads", format_bytes(config.array_bytes),
                            team.size()));
  StreamArrays arrays(n, team, config.seed);
  std::vector<cpu::PaddedSum> sums(team.size());

  std::vector<cpu::MemOp> ops = config.ops;
  if (ops.empty())
    for (auto& info : cpu::all_mem_ops()) ops.push_back(info.op);

  std::vector<Result> results;
  for (cpu::MemOp op : ops) {
    const auto& info = cpu::mem_op_info(op);
    std::vector<Variant> variants;
    for (auto& k : selected_kernels(op, config.impls)) variants.push_back({k, "", {}});
    if (variants.empty()) continue;

    // Check, then time: a variant whose output is wrong never reports a number. The checked run
    // doubles as the warm-up (pages mapped, clocks up).
    for (auto& v : variants) {
      throw_if_interrupted();
      sink.progress(fmt::format("memory: checking {} {}", info.name, v.kernel.impl));
      const std::string err = check_memory_kernel(v.kernel, arrays, n, team);
      v.check = err.empty() ? kCheckPassed : "failed: " + err;
    }

    const uint64_t bytes = stream_bytes(op, n);
    // The variants' repetitions interleave, all of them this result's: one window, first to last.
    const int64_t timed_begin = monotonic_ns();
    for (int rep = 0; rep < config.reps; ++rep) {
      for (auto& v : variants) {
        if (v.check != kCheckPassed) continue;
        throw_if_interrupted();
        const int64_t ns = time_pass(v.kernel, arrays, n, team, sums);
        const double rate = gb_per_s(double(bytes), double(ns) * 1e-9);
        v.gbps.push_back(rate);
        sink.sample({"memory", info.name, v.kernel.impl, rate, "GB/s",
                     {{"rep", rep}, {"ns", ns}, {"bytes", bytes}, {"threads", team.size()}}});
      }
      sink.progress(fmt::format("memory: {} rep {}/{}", info.name, rep + 1, config.reps));
    }
    const TimedSpan timed = {timed_begin, monotonic_ns()};

    Result r;
    r.suite = "memory";
    r.device = "cpu";
    r.name = info.name;
    r.unit = "GB/s";
    const Variant* best = nullptr;
    for (auto& v : variants) {
      r.variants.push_back(variant_json(v));
      if (v.check == kCheckPassed && !v.gbps.empty() && (!best || median(v.gbps) > median(best->gbps)))
        best = &v;
    }
    if (best) {
      r.impl = best->kernel.impl;
      r.stats = summarize(best->gbps);
      r.value = r.stats.median;
    } else {
      r.value = std::nan("");
      r.check = "failed: no variant passed its check (" + variants.front().check + ")";
    }
    r.params = {{"array_bytes", config.array_bytes},
                {"bytes_per_rep", bytes},
                {"threads", team.size()},
                {"formula", info.formula},
                {"counting", "STREAM: 8 bytes per array element named in the formula"},
                {"best_rep_gbps", best ? r.stats.max : std::nan("")}};
    r.timed = {timed};
    sink.result(r);
    results.push_back(std::move(r));
  }
  return results;
}

ReadSampler::ReadSampler(cpu::ThreadTeam& team, uint64_t array_bytes, uint64_t seed)
    : team_(team), arrays_(elements_for(array_bytes, team), team, seed, StreamArrays::Fill::read_array) {
  for (auto& k : cpu::memory_kernels(cpu::MemOp::read))
    if (check_memory_kernel(k, arrays_, arrays_.elements(), team_).empty()) kernels_.push_back(k);
}

double ReadSampler::sample(int reps) {
  if (reps < 1) throw UsageError(fmt::format("read-bandwidth sample: {} repetitions; need at least 1", reps));
  const size_t n = arrays_.elements();
  const double bytes = double(stream_bytes(cpu::MemOp::read, n));
  std::vector<std::vector<double>> gbps(kernels_.size());
  std::vector<cpu::PaddedSum> sums(team_.size());
  for (int rep = 0; rep < reps; ++rep)
    for (size_t i = 0; i < kernels_.size(); ++i) {
      throw_if_interrupted();
      gbps[i].push_back(gb_per_s(bytes, double(time_pass(kernels_[i], arrays_, n, team_, sums)) * 1e-9));
    }
  if (kernels_.empty()) return std::nan("");
  double best = 0;
  for (const auto& g : gbps) best = std::max(best, median(g));
  return best;
}

}  // namespace specgap::suites
