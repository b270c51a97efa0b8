#include "suites/compute/peak.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/stats.h"
#include "harness/gpu_clock.h"
#include "harness/measure.h"

namespace specgap::suites {
namespace {

const char* convention(Dtype d) {
  switch (d) {
    case Dtype::bf16: return "dot product: each bf16 multiply counts 2 (multiply + add), 4 FLOP per fp32 lane";
    case Dtype::int8:
      return "dot product: each 8-bit multiply counts 2 (multiply + add), so a packed 4 x 8-bit dot product counts 8";
    default: return "an FMA counts 2 FLOP";
  }
}

// The finite numbers a variant's repetitions observed under `key` (e.g. its clock).
std::vector<double> observed(const nlohmann::json& variant, const char* key) {
  std::vector<double> out;
  for (auto& o : variant.value("observed", nlohmann::json::array()))
    if (o.is_object() && o.contains(key) && o[key].is_number()) out.push_back(o[key].get<double>());
  return out;
}

nlohmann::json number_or_null(double x) { return std::isfinite(x) ? nlohmann::json(x) : nlohmann::json(nullptr); }

// Each variant's clock and its share of its own path's peak at that clock, where it observed them.
void summarise_variants(Result& r) {
  for (auto& v : r.variants) {
    const auto clocks = observed(v, "clock_ghz"), path = observed(v, "path_peak");
    v["clock_ghz"] = clocks.empty() ? nlohmann::json(nullptr) : number_or_null(median(clocks));
    const auto samples = v.value("samples", std::vector<double>{});
    v["fraction_of_path_peak"] =
        path.empty() || samples.empty() ? nlohmann::json(nullptr) : number_or_null(median(samples) / median(path));
    v.erase("observed");
  }
}

// The best variant's description, clock and theoretical peak as the result's params.
void describe_best(Result& r, const backends::Device& device, const backends::PeakRequest& request,
                   const TelemetryFeed* feed) {
  const nlohmann::json* best = harness::figure_variant(r);
  r.params = best ? harness::kernel_description(*best) : nlohmann::json::object();
  r.params.erase("path_peak");  // the variant's own path; the device's peak is theoretical_peak below
  r.params["convention"] = convention(*parse_dtype(*r.dtype));
  r.params["timer"] = device.info().timer;
  const auto clocks = best ? observed(*best, "clock_ghz") : std::vector<double>{};
  double ghz = clocks.empty() ? 0 : median(clocks);
  std::string clock_missing;
  if (!clocks.empty()) {
    r.params["clock_ghz"] = number_or_null(ghz);
    r.params["clock_min_ghz"] = *std::min_element(clocks.begin(), clocks.end());
    r.params["clock_max_ghz"] = *std::max_element(clocks.begin(), clocks.end());
  } else if (best && device.info().backend != "cpu") {
    // A GPU's kernels observe no clock: its telemetry does, during these very repetitions.
    const harness::GpuClock g = harness::gpu_clock_during(feed, device.info().pci_address, r.timed);
    if (g.clock) {
      ghz = g.clock->median_mhz / 1000;
      r.params["clock_ghz"] = ghz;
      r.params["clock_min_ghz"] = g.clock->min_mhz / 1000;
      r.params["clock_max_ghz"] = g.clock->max_mhz / 1000;
      r.params["clock_source"] = fmt::format("telemetry {}, median of {} ticks during the timed repetitions",
                                             g.clock->channel, g.clock->ticks);
    }
    clock_missing = g.missing;
  }
  // What the device can say of its peak: the figure (and, for a checked result, the share of it
  // reached), or why it cannot.
  nlohmann::json peak = device.theoretical_peak(request, ghz);
  if (peak.is_object() && peak.contains("value") && peak["value"].is_number() && peak["value"].get<double>() > 0) {
    peak["fraction"] = best ? nlohmann::json(r.value / peak["value"].get<double>()) : nlohmann::json(nullptr);
    r.params["theoretical_peak"] = peak;
  } else {
    r.params["theoretical_peak"] = nullptr;
    if (peak.is_object() && peak.contains("missing"))
      // "clock unknown" says more with the reason the telemetry had none.
      r.params["theoretical_peak_missing"] =
          peak["missing"] == "clock unknown" && !clock_missing.empty() ? nlohmann::json(clock_missing) : peak["missing"];
  }
  if (best) r.params["best_rep"] = r.stats.max;
}

bool wanted(const std::vector<std::string>& impls, const std::string& impl) {
  return impls.empty() || std::find(impls.begin(), impls.end(), impl) != impls.end();
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

std::vector<Result> measure_peak(backends::Device& device, const PeakConfig& config, RunSink& sink) {
  const std::vector<Dtype> dtypes = config.dtypes.empty()
                                        ? std::vector<Dtype>{Dtype::fp64, Dtype::fp32, Dtype::bf16, Dtype::fp16, Dtype::int8}
                                        : config.dtypes;
  // Every dtype's kernels are asked for first and held to the end: they share one warm-up and team.
  struct Asked {
    Dtype dtype;
    backends::PeakRequest request;
    backends::Offer offer;
    bool filtered_out = false;  // --impl left out every kernel the device has for it
  };
  sink.progress(fmt::format("compute {}: warming up", device.info().id));
  std::vector<Asked> asked;
  for (Dtype d : {Dtype::fp64, Dtype::fp32, Dtype::bf16, Dtype::fp16, Dtype::fp8, Dtype::int8}) {
    if (std::find(dtypes.begin(), dtypes.end(), d) == dtypes.end()) continue;
    backends::PeakRequest request{d, config.rep_seconds, config.cpus, config.cores};
    Asked a{d, request, device.peak(request)};
    const bool had = !a.offer.kernels.empty();
    std::erase_if(a.offer.kernels, [&](auto& k) { return !wanted(config.impls, k->impl()); });
    a.filtered_out = had && a.offer.kernels.empty();
    asked.push_back(std::move(a));
  }
  std::vector<Result> results;
  for (auto& a : asked) {
    if (a.filtered_out) continue;
    harness::Plan plan{"compute", device.info().id, "peak", compute_unit(a.dtype), config.reps, harness::rate_tera_per_s,
                       {{"dtype", std::string(to_string(a.dtype))}}};
    Result r = a.offer.kernels.empty() ? harness::unsupported_result(plan, a.offer.unsupported)
                                       : harness::to_result(harness::measure(a.offer.kernels, plan, sink), plan);
    r.dtype = std::string(to_string(a.dtype));
    if (!a.offer.kernels.empty() || device.info().backend != "cpu") describe_best(r, device, a.request, sink.telemetry());
    summarise_variants(r);
    if (device.info().backend != "cpu") harness::name_device(r, device.info());
    sink.result(r);
    results.push_back(std::move(r));
    a.offer.kernels.clear();
  }
  return results;
}

}  // namespace specgap::suites
