#include "suites/memory/latency.h"

#include <fmt/format.h>

#include <algorithm>

#include "backends/cpu/pointer_chase.h"
#include "backends/cpu/thread_team.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/interrupt.h"
#include "core/stats.h"
#include "core/units.h"
#include "suites/memory/sweep.h"

namespace specgap::suites {
namespace {
constexpr int64_t kTargetRepNs = 20'000'000;  // each repetition chases for about 20 ms
constexpr size_t kMaxWarmLoads = size_t(1) << 22;

Result latency_result(uint64_t ws, const Stats& stats, size_t loads) {
  Result r;
  r.suite = "memory";
  r.device = "cpu";
  r.name = "latency";
  r.unit = "ns";
  r.impl = "pointer-chase-random";
  r.stats = stats;
  r.value = stats.median;
  r.params = {{"kind", "sweep_point"}, {"working_set_bytes", ws}, {"loads_per_rep", loads},
              {"stride_bytes", cpu::kChaseStride}, {"pages", "thp:" + cpu::transparent_hugepage_mode()}};
  return r;
}
}  // namespace

std::vector<Result> measure_latency(const LatencyConfig& config, const std::vector<LevelCapacity>& levels,
                                    RunSink& sink) {
  cpu::ThreadTeam team(config.cpu >= 0 ? std::vector<int>{config.cpu} : std::vector<int>{});
  std::vector<Result> results;
  std::vector<CurvePoint> curve;
  for (uint64_t ws : sweep_sizes(config.min_bytes, config.max_bytes, config.points_per_octave)) {
    throw_if_interrupted();
    cpu::PointerChase chase(ws, config.seed + ws);
    // Warm the caches with (up to) one lap, and time a short chase to size the repetitions.
    chase.chase(std::min(chase.nodes(), kMaxWarmLoads));
    constexpr size_t kProbe = 1 << 14;
    int64_t t0 = monotonic_ns();
    const void* end = chase.chase(kProbe);
    const double ns_per_load = double(std::max<int64_t>(1, monotonic_ns() - t0)) / kProbe;
    if (end != chase.expected_after(kProbe))
      throw Error(fmt::format("latency check failed at {}: the chase left its cycle", format_bytes(ws)));
    const size_t loads = std::max<size_t>(kProbe, size_t(double(kTargetRepNs) / ns_per_load));
    std::vector<double> ns;
    const int64_t timed_begin = monotonic_ns();
    for (int rep = 0; rep < config.reps; ++rep) {
      throw_if_interrupted();
      t0 = monotonic_ns();
      end = chase.chase(loads);
      const double per_load = double(monotonic_ns() - t0) / double(loads);
      if (end != chase.expected_after(loads))
        throw Error(fmt::format("latency check failed at {}: the chase left its cycle", format_bytes(ws)));
      ns.push_back(per_load);
      sink.sample({"memory", "latency", "pointer-chase-random", per_load, "ns",
                   {{"kind", "sweep_point"}, {"working_set_bytes", ws}, {"rep", rep}}});
    }
    auto r = latency_result(ws, summarize(ns), loads);
    r.timed = {{timed_begin, monotonic_ns()}};
    sink.result(r);
    sink.progress(fmt::format("memory latency: {} {:.1f} ns", format_bytes(ws), r.value));
    curve.push_back({ws, r.value});
    results.push_back(std::move(r));
  }
  for (auto& p : find_plateaus(curve, levels)) {
    auto r = plateau_result("latency", "ns", "pointer-chase-random", p);
    sink.result(r);
    results.push_back(std::move(r));
  }
  return results;
}

}  // namespace specgap::suites
