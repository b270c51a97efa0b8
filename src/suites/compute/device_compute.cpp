#include "suites/compute/device_compute.h"

#include <fmt/format.h>

#include <cmath>
#include <optional>

#include "harness/measure.h"
#include "suites/compute/device_peak_theory.h"
#include "suites/compute/peak.h"

namespace specgap::suites {
namespace {
std::vector<Dtype> dtypes_of(const DeviceComputeConfig& c) {
  if (!c.dtypes.empty()) return c.dtypes;
  return {Dtype::fp64, Dtype::fp32, Dtype::fp16, Dtype::bf16, Dtype::fp8, Dtype::int8};
}

harness::Plan compute_plan(const backends::Device& device, const char* name, Dtype d, int reps) {
  return {"compute", device.info().id, name, compute_unit(d), reps, harness::rate_tera_per_s,
          {{"dtype", std::string(to_string(d))}}};
}

// How a device's peak kernels count work: vector FMAs for the float dtypes, packed dot products for int8.
const char* peak_convention(Dtype d) {
  return d == Dtype::int8 ? "a packed 4 x 8-bit dot product counts 8 operations (4 multiplies + 4 adds)"
                          : "an FMA counts 2 operations";
}

Result with_dtype(Result r, Dtype d) {
  r.dtype = std::string(to_string(d));
  return r;
}
}  // namespace

std::vector<backends::GemmRequest> default_device_gemm_shapes(const backends::DeviceInfo& d) {
  std::vector<backends::GemmRequest> out;
  for (int n : {1024, 2048, 4096, 8192}) {
    const uint64_t matrix_bytes = uint64_t(n) * n * 4;  // fp32 operands, the widest the suite offers
    if (d.max_buffer_bytes && matrix_bytes > d.max_buffer_bytes) break;
    if (d.memory_bytes && 3 * matrix_bytes > d.memory_bytes / 2) break;
    backends::GemmRequest r;
    r.m = r.n = r.k = n;
    out.push_back(r);
  }
  return out;
}

std::vector<Result> measure_device_peak(backends::Device& device, const DeviceComputeConfig& c, RunSink& sink) {
  std::vector<Result> results;
  for (Dtype d : dtypes_of(c)) {
    const auto plan = compute_plan(device, "peak", d, c.reps);
    auto offer = device.peak({d, c.peak_rep_seconds});
    Result r = offer.kernels.empty() ? harness::unsupported_result(plan, offer.unsupported)
                                     : harness::to_result(harness::measure(offer.kernels, plan, sink), plan);
    r = with_dtype(std::move(r), d);
    r.params = {{"convention", peak_convention(d)}, {"timer", device.info().timer}};
    // Only a checked figure is held against the peak.
    const DevicePeakTheory theory =
        device_peak_theory(device.info(), d, r.check == kCheckPassed ? r.value : std::nan(""));
    r.params["theoretical_peak"] = theory.peak;
    if (theory.peak.is_null()) r.params["theoretical_peak_missing"] = theory.missing;
    harness::name_device(r, device.info());
    sink.result(r);
    results.push_back(std::move(r));
  }
  return results;
}

std::vector<Result> measure_device_gemm(backends::Device& device, const DeviceComputeConfig& c, RunSink& sink) {
  const auto shapes = c.shapes.empty() ? default_device_gemm_shapes(device.info()) : c.shapes;
  std::vector<Result> results;
  for (Dtype d : dtypes_of(c)) {
    const auto plan = compute_plan(device, "gemm", d, c.reps);
    // Every shape is a variant of the one result; the best passed (kernel, shape) is the figure.
    std::optional<Result> best, failed;
    nlohmann::json variants = nlohmann::json::array();
    std::string unsupported = "no GEMM shape fits this device's buffers";
    std::vector<TimedSpan> timed;
    for (auto shape : shapes) {
      shape.dtype = d;
      shape.rep_seconds = c.gemm_rep_seconds;
      auto offer = device.gemm(shape);
      if (offer.kernels.empty()) {
        unsupported = offer.unsupported;
        break;  // a dtype the device cannot run is unsupported at every shape
      }
      Result r = harness::to_result(harness::measure(offer.kernels, plan, sink), plan);
      const std::string shape_text = fmt::format("{}x{}x{}", shape.m, shape.n, shape.k);
      for (auto v : r.variants) {
        v["shape"] = shape_text;
        variants.push_back(std::move(v));
      }
      timed.insert(timed.end(), r.timed.begin(), r.timed.end());
      if (check_failed(r.check)) {
        if (!failed) failed = std::move(r);
      } else if (!best || r.value > best->value) {
        r.params = {{"m", shape.m}, {"n", shape.n}, {"k", shape.k}};
        r.impl += " " + shape_text;
        best = std::move(r);
      }
    }
    Result r = best ? *best : failed ? *failed : harness::unsupported_result(plan, unsupported);
    r = with_dtype(std::move(r), d);
    r.variants = variants;
    r.timed = timed;
    r.params["convention"] = "2*m*n*k operations per call";
    r.params["timer"] = device.info().timer;
    harness::name_device(r, device.info());
    sink.result(r);
    results.push_back(std::move(r));
  }
  return results;
}

}  // namespace specgap::suites
