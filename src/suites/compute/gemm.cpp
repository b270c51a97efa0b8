#include "suites/compute/gemm.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>

#include "harness/measure.h"
#include "suites/compute/peak.h"

namespace specgap::suites {
namespace {

std::string shape_text(const GemmShape& s) { return fmt::format("{}x{}x{}", s.m, s.n, s.k); }

}  // namespace

std::vector<GemmShape> default_gemm_shapes() {
  return {{1024, 1024, 1024}, {2048, 2048, 2048}, {4096, 4096, 4096}, {8192, 8192, 8192},
          // Llama 3 8B at 512 prompt tokens: q/o projections, gate/up, down (reference/llm.md shapes).
          {512, 4096, 4096},  {512, 14336, 4096}, {512, 4096, 14336}};
}

std::vector<GemmShape> shapes_that_fit(const std::vector<GemmShape>& shapes, const backends::DeviceInfo& d) {
  std::vector<GemmShape> out;
  for (const auto& s : shapes) {
    const uint64_t a = uint64_t(s.m) * s.k * 4, b = uint64_t(s.k) * s.n * 4, c = uint64_t(s.m) * s.n * 4;
    if (d.max_buffer_bytes && std::max({a, b, c}) > d.max_buffer_bytes) continue;
    if (d.memory_bytes && a + b + c > d.memory_bytes / 2) continue;
    out.push_back(s);
  }
  return out;
}

std::vector<Result> measure_gemm(backends::Device& device, const GemmConfig& config, RunSink& sink) {
  const auto& info = device.info();
  const auto shapes = shapes_that_fit(config.shapes.empty() ? default_gemm_shapes() : config.shapes, info);
  std::vector<Dtype> dtypes = config.dtypes;
  if (dtypes.empty()) dtypes = {Dtype::fp64, Dtype::fp32, Dtype::bf16, Dtype::fp16, Dtype::int8};

  std::vector<Result> results;
  for (Dtype d : dtypes) {
    harness::Plan plan{"compute", info.id, "gemm", compute_unit(d), config.reps, harness::rate_tera_per_s,
                       {{"dtype", std::string(to_string(d))}, {"threads", config.threads}}};
    // Each kernel's repetitions run back to back after one untimed call, as a program calling it in a
    // loop runs. Interleaving libraries rep by rep timed each against the last one's pool still
    // spinning (OpenBLAS's idle workers spin for about 2^28 cycles), and a pause to let it stop
    // measured cores whose 512-bit units had gone idle (Zen 5 runs them slower for a while after).
    plan.interleave = false;
    const bool host = info.backend == "cpu";
    if (!host) plan.sample_params.erase("threads");
    // Every (kernel, shape) is a variant of the one result; the best passed one is the figure.
    std::optional<Result> best;
    nlohmann::json variants = nlohmann::json::array(), notes = nlohmann::json::array();
    std::string unsupported = "unsupported: no GEMM shape fits this device's buffers";
    std::vector<TimedSpan> timed;
    for (const auto& shape : shapes) {
      backends::GemmRequest request;
      request.dtype = d;
      request.m = shape.m, request.n = shape.n, request.k = shape.k;
      request.check_samples = config.check_samples;
      request.rep_seconds = config.rep_seconds;
      request.seed = config.seed;
      request.threads = config.threads;
      request.helper_exe = config.worker_exe;
      request.only = config.libraries;
      auto offer = device.gemm(request);
      for (auto& n : offer.notes)
        if (std::find(notes.begin(), notes.end(), n) == notes.end()) notes.push_back(n);
      if (offer.kernels.empty()) {
        unsupported = offer.unsupported;
        break;  // a dtype the device cannot run is unsupported at every shape
      }
      plan.sample_params["m"] = shape.m, plan.sample_params["n"] = shape.n, plan.sample_params["k"] = shape.k;
      sink.progress(fmt::format("gemm {}: {} {}", info.id, to_string(d), shape_text(shape)));
      Result r = harness::to_result(harness::measure(offer.kernels, plan, sink), plan);
      for (auto v : r.variants) {
        v["m"] = shape.m, v["n"] = shape.n, v["k"] = shape.k;
        variants.push_back(std::move(v));
      }
      timed.insert(timed.end(), r.timed.begin(), r.timed.end());
      if (!check_failed(r.check) && (!best || r.value > best->value)) best = std::move(r);
    }
    Result r = best ? std::move(*best) : harness::unsupported_result(plan, unsupported);
    if (!best && !variants.empty()) {
      r.check = "failed: no kernel passed its check on any shape";
      r.value = std::nan("");
    }
    r.dtype = std::string(to_string(d));
    r.variants = variants;
    r.timed = timed;
    r.params = nlohmann::json::object();
    if (best) {
      if (const auto* v = harness::figure_variant(r)) {
        // The kernel's description (library, kernel, environment, shape ...), not its sizing.
        r.params = harness::kernel_description(*v);
        r.params.erase("reps");
        r.params.erase("calls_per_rep");
      }
      r.params["best_rep"] = r.stats.max;
    }
    if (host) r.params["threads"] = config.threads;
    r.params["counting"] = "2*m*n*k per call";
    r.params["timer"] = info.timer;
    if (!notes.empty()) r.params["notes"] = notes;
    if (!host) harness::name_device(r, info);
    sink.result(r);
    results.push_back(std::move(r));
  }
  return results;
}

}  // namespace specgap::suites
