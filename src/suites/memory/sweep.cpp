#include "suites/memory/sweep.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "core/interrupt.h"
#include "core/units.h"
#include "harness/measure.h"

namespace specgap::suites {
namespace {
// Each timed repetition lasts at least this long, so the barrier and clock read are noise.
constexpr int64_t kMinRepNs = 2'000'000;

// The sweep's arithmetic since before the seam (not harness::rate_gb_per_s, which rounds
// differently in the last bit), so stored curves and new ones compare figure for figure.
double sweep_gb_per_s(double bytes, int64_t ns) { return gb_per_s(bytes, double(ns) * 1e-9); }
}  // namespace

std::vector<uint64_t> sweep_sizes(uint64_t min_bytes, uint64_t max_bytes, int per_octave) {
  std::vector<uint64_t> sizes;
  if (min_bytes == 0 || max_bytes < min_bytes || per_octave < 1) return sizes;
  const double step = std::pow(2.0, 1.0 / per_octave);
  for (double s = double(min_bytes); s <= double(max_bytes) * 1.0001; s *= step) {
    // Rounded to 4 KiB, and never past the largest size asked for.
    const uint64_t rounded = std::clamp<uint64_t>(uint64_t(std::llround(s / 4096)) * 4096, 4096,
                                                  std::max<uint64_t>(4096, max_bytes / 4096 * 4096));
    if (sizes.empty() || rounded > sizes.back()) sizes.push_back(rounded);
  }
  // The largest size asked for is always measured, even between two steps.
  const uint64_t top = std::max<uint64_t>(4096, max_bytes / 4096 * 4096);
  if (!sizes.empty() && sizes.back() < top) sizes.push_back(top);
  return sizes;
}

std::vector<LevelCapacity> working_set_capacities(const CpuInfo& cpu, size_t threads) {
  std::vector<LevelCapacity> out;
  const int pus_per_core = cpu.cores > 0 && cpu.threads >= cpu.cores ? cpu.threads / cpu.cores : 1;
  for (int level = 1; level <= 4; ++level) {
    for (auto& c : cpu.caches) {
      if (c.level != level || c.type == "instruction" || c.size_bytes == 0) continue;
      // Threads go one per core, so they reach ceil(threads / cores-per-instance) instances.
      const size_t cores_per_instance = std::max(1, c.pus_per_instance / pus_per_core);
      const size_t used = std::min<size_t>(std::max(1, c.instances), (threads + cores_per_instance - 1) / cores_per_instance);
      out.push_back({"L" + std::to_string(level), c.size_bytes * used});
      break;
    }
  }
  return out;
}

std::vector<Result> measure_sweep(backends::Device& device, const SweepConfig& config,
                                  const std::vector<LevelCapacity>& levels, RunSink& sink) {
  const auto sizes = sweep_sizes(config.min_bytes, config.max_bytes, config.points_per_octave);
  if (sizes.empty()) throw UsageError("--sweep: the working-set range is empty");
  std::vector<StreamOp> ops = config.ops;
  if (ops.empty())
    for (auto& info : all_stream_ops()) ops.push_back(info.op);
  const auto& dev = device.info();
  const bool host = dev.backend == "cpu";
  const size_t threads = std::max<size_t>(config.cpus.size(), 1);

  // Arrays sized for the largest point of the op that touches the fewest arrays. Nothing is filled
  // up front: each point fills what it adds, so the sweep measures from the start.
  const auto arrays = device.stream_arrays({sizes.back(), config.cpus, config.seed, false});
  const uint64_t element_bytes = arrays->element_bytes();
  const uint64_t step = arrays->span_step();
  std::vector<Result> results;

  for (StreamOp op : ops) {
    const auto& info = stream_op_info(op);
    const std::string impl = config.impl.empty() ? arrays->preferred_impl(op) : config.impl;
    const int arrays_touched = info.arrays_read + info.arrays_written;
    uint64_t filled = 0;  // fresh values for each op, as far as its points reach
    std::vector<CurvePoint> curve;
    for (uint64_t ws : sizes) {
      throw_if_interrupted();
      // Whole steps of the device (the CPU: 64-element blocks per thread, so no point pays for scalar
      // tails); the working set reported is the one measured.
      const uint64_t n = std::max<uint64_t>(step, ws / (element_bytes * arrays_touched) / step * step);
      const uint64_t measured_ws = n * element_bytes * arrays_touched;
      if (n > filled) {
        arrays->fill(filled, n);
        filled = n;
      }
      auto kernels = arrays->kernels(op, {impl}, {n, kMinRepNs});
      if (kernels.empty())
        throw UsageError(fmt::format("--impl {}: no such variant of {} on {}", impl, info.name, dev.id));
      const harness::Plan plan{"memory", dev.id, info.name, "GB/s", config.reps, sweep_gb_per_s,
                               {{"kind", "sweep_point"}, {"working_set_bytes", measured_ws}}};
      const harness::Measured m = harness::measure(kernels, plan, sink);
      if (!m.best())
        throw Error(fmt::format("memory sweep: {} at {}: check {}", info.name, format_bytes(measured_ws),
                                m.variants.front().check));
      Result r = harness::to_result(m, plan);
      // work() counts every pass of a repetition: the passes are its ratio to one pass's bytes.
      const auto passes = std::llround(kernels.front()->work() / double(stream_bytes(op, n, element_bytes)));
      r.params = {{"kind", "sweep_point"}, {"working_set_bytes", measured_ws}, {"requested_bytes", ws}};
      if (host) {
        r.params["per_thread_bytes"] = measured_ws / threads;
        r.params["threads"] = threads;
      }
      r.params["iterations"] = passes;
      harness::name_device(r, dev);
      sink.result(r);
      sink.progress(fmt::format("memory sweep: {} {} {:.1f} GB/s", info.name, format_bytes(measured_ws), r.value));
      curve.push_back({measured_ws, r.value});
      results.push_back(std::move(r));
    }
    // Bandwidth falls as the set leaves a level, so find_plateaus sees the same shape as latency.
    for (auto& p : find_plateaus(curve, levels)) {
      auto r = plateau_result(info.name, "GB/s", impl, p);
      r.device = dev.id;
      if (host) r.params["threads"] = threads;
      sink.result(r);
      results.push_back(std::move(r));
    }
  }
  return results;
}

}  // namespace specgap::suites
