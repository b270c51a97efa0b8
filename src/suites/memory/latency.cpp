#include "suites/memory/latency.h"

#include <fmt/format.h>

#include "core/error.h"
#include "core/interrupt.h"
#include "core/units.h"
#include "harness/measure.h"
#include "suites/memory/sweep.h"

namespace specgap::suites {
namespace {
double ns_per_load(double loads, int64_t ns) { return double(ns) / loads; }
}  // namespace

std::vector<Result> measure_latency(backends::Device& device, const LatencyConfig& config,
                                    const std::vector<LevelCapacity>& levels, RunSink& sink) {
  const auto& dev = device.info();
  std::vector<Result> results;
  std::vector<CurvePoint> curve;
  std::string impl;
  for (uint64_t ws : sweep_sizes(config.min_bytes, config.max_bytes, config.points_per_octave)) {
    throw_if_interrupted();
    backends::Offer offer = device.latency({ws, config.seed + ws, config.cpu});
    if (offer.kernels.empty()) throw Error(fmt::format("memory latency on {}: {}", dev.id, offer.unsupported));
    const harness::Plan plan{"memory", dev.id, "latency", "ns", config.reps, ns_per_load,
                             {{"kind", "sweep_point"}, {"working_set_bytes", ws}}};
    const harness::Measured m = harness::measure(offer.kernels, plan, sink);
    // One kernel: its figure, not the "best" (the highest median, which for a latency is the worst).
    const harness::Variant& v = m.variants.front();
    if (check_failed(v.check))
      throw Error(fmt::format("memory latency at {}: check {}", format_bytes(ws), v.check));
    Result r = harness::to_result(m, plan);
    const auto& kernel = *offer.kernels.front();
    r.params = {{"kind", "sweep_point"}, {"working_set_bytes", ws}, {"loads_per_rep", uint64_t(kernel.work())},
                {"stride_bytes", v.about.value("stride_bytes", nlohmann::json())},
                {"pages", v.about.value("pages", nlohmann::json())}};
    harness::name_device(r, dev);
    sink.result(r);
    sink.progress(fmt::format("memory latency: {} {:.1f} ns", format_bytes(ws), r.value));
    curve.push_back({ws, r.value});
    impl = r.impl;
    results.push_back(std::move(r));
  }
  for (auto& p : find_plateaus(curve, levels)) {
    auto r = plateau_result("latency", "ns", impl, p);
    r.device = dev.id;
    sink.result(r);
    results.push_back(std::move(r));
  }
  return results;
}

}  // namespace specgap::suites
