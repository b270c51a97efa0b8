#include "suites/memory/bandwidth.h"

#include <fmt/format.h>

#include <cmath>

#include "core/units.h"
#include "harness/measure.h"

namespace specgap::suites {

std::vector<Result> measure_bandwidth(backends::Device& device, const BandwidthConfig& config, RunSink& sink) {
  const auto& info = device.info();
  const bool host = info.backend == "cpu";
  sink.progress(host ? fmt::format("memory: first-touching 3 x {} with {} threads", format_bytes(config.array_bytes),
                                   std::max<size_t>(config.cpus.size(), 1))
                     : fmt::format("memory {}: filling 3 x {}", info.id, format_bytes(config.array_bytes)));
  const auto arrays = device.stream_arrays({config.array_bytes, config.cpus, config.seed});
  const uint64_t n = arrays->elements();
  const uint64_t element_bytes = arrays->element_bytes();

  std::vector<StreamOp> ops = config.ops;
  if (ops.empty())
    for (auto& op : all_stream_ops()) ops.push_back(op.op);

  std::vector<Result> results;
  for (StreamOp op : ops) {
    const auto& op_info = stream_op_info(op);
    auto kernels = arrays->kernels(op, config.impls);
    if (kernels.empty()) continue;
    const uint64_t bytes = stream_bytes(op, n, element_bytes);
    harness::Plan plan{"memory", info.id, op_info.name, "GB/s", config.reps, harness::rate_gb_per_s,
                       {{"bytes", bytes}, {"threads", host ? std::max<size_t>(config.cpus.size(), 1) : 0}}};
    if (!host) plan.sample_params.erase("threads");
    Result r = harness::to_result(harness::measure(kernels, plan, sink), plan);
    r.params = {{"array_bytes", n * element_bytes},
                {"bytes_per_rep", bytes},
                {"formula", op_info.formula},
                {"counting", fmt::format("STREAM: {} bytes per array element named in the formula", element_bytes)},
                {"timer", info.timer},
                {"best_rep_gbps", check_failed(r.check) ? std::nan("") : r.stats.max}};
    if (host) r.params["threads"] = std::max<size_t>(config.cpus.size(), 1);
    harness::name_device(r, info);
    sink.result(r);
    results.push_back(std::move(r));
  }
  return results;
}

}  // namespace specgap::suites
