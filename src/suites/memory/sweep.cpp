#include "suites/memory/sweep.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/clock.h"
#include "core/error.h"
#include "core/interrupt.h"
#include "core/stats.h"
#include "core/units.h"
#include "suites/memory/bandwidth.h"
#include "backends/cpu/stream_arrays.h"

namespace specgap::suites {
namespace {
// Each timed repetition lasts at least this long, so the barrier and clock read are noise.
constexpr int64_t kMinRepNs = 2'000'000;


cpu::MemKernel pick_kernel(StreamOp op, const std::string& impl) {
  const auto kernels = cpu::memory_kernels(op);
  if (!impl.empty()) {
    for (auto& k : kernels)
      if (k.impl == impl) return k;
    throw UsageError(fmt::format("--impl {}: no such variant of {} on this CPU", impl, stream_op_info(op).name));
  }
  // The last temporal variant is the widest ISA this CPU runs (kernels come narrowest first).
  cpu::MemKernel best = kernels.front();
  for (auto& k : kernels)
    if (!k.nontemporal && k.isa != "libc") best = k;
  return best;
}

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

std::vector<Result> measure_sweep(const SweepConfig& config, const std::vector<LevelCapacity>& levels,
                                  RunSink& sink) {
  cpu::ThreadTeam team(config.cpus);
  const auto sizes = sweep_sizes(config.min_bytes, config.max_bytes, config.points_per_octave);
  if (sizes.empty()) throw UsageError("--sweep: the working-set range is empty");
  std::vector<StreamOp> ops = config.ops;
  if (ops.empty())
    for (auto& info : all_stream_ops()) ops.push_back(info.op);

  // Arrays sized for the largest point of the op that touches the fewest arrays.
  const size_t max_elements = sizes.back() / sizeof(double);
  // Nothing is touched up front: each point fills what it adds, so the sweep measures from the start.
  cpu::StreamArrays arrays(max_elements, team, config.seed, cpu::StreamArrays::Fill::none);
  std::vector<cpu::PaddedSum> sums(team.size());
  std::vector<Result> results;

  for (StreamOp op : ops) {
    const auto& info = stream_op_info(op);
    const auto kernel = pick_kernel(op, config.impl);
    const int arrays_touched = info.arrays_read + info.arrays_written;
    size_t filled = 0;  // fresh values for each op, as far as its points reach
    std::vector<CurvePoint> curve;
    for (uint64_t ws : sizes) {
      throw_if_interrupted();
      // Every thread gets a whole number of 64-element blocks, so no point pays for scalar tails;
      // the working set reported is the one measured.
      const size_t block = 64 * team.size();
      const size_t n = std::max<size_t>(block, ws / (sizeof(double) * arrays_touched) / block * block);
      const uint64_t measured_ws = uint64_t(n) * sizeof(double) * arrays_touched;
      if (n > filled) {
        arrays.randomize(filled, n, team);
        filled = n;
      }
      const std::string err = cpu::check_memory_kernel(kernel, arrays, n, team);
      if (!err.empty()) throw Error("memory sweep: " + std::string(info.name) + " check failed: " + err);
      const auto x = arrays.arrays();
      auto timed = [&](int iters) {
        return team.run_timed([&](size_t m) {
          const auto r = cpu::split_range(n, team.size(), m);
          for (int it = 0; it < iters; ++it) sums[m].value += kernel.fn(x, r.begin, r.end, kStreamScalar);
        });
      };
      const int64_t once = std::max<int64_t>(1, timed(1));
      const int iters = int(std::clamp<int64_t>(kMinRepNs / once + 1, 1, 1 << 20));
      std::vector<double> gbps;
      const uint64_t bytes = stream_bytes(op, n) * uint64_t(iters);
      const int64_t timed_begin = monotonic_ns();
      for (int rep = 0; rep < config.reps; ++rep) {
        throw_if_interrupted();
        const double rate = gb_per_s(double(bytes), double(timed(iters)) * 1e-9);
        gbps.push_back(rate);
        sink.sample({"memory", info.name, kernel.impl, rate, "GB/s",
                     {{"kind", "sweep_point"}, {"working_set_bytes", measured_ws}, {"rep", rep}}});
      }
      Result r;
      r.timed = {{timed_begin, monotonic_ns()}};
      r.suite = "memory";
      r.device = "cpu";
      r.name = info.name;
      r.unit = "GB/s";
      r.impl = kernel.impl;
      r.stats = summarize(gbps);
      r.value = r.stats.median;
      r.params = {{"kind", "sweep_point"}, {"working_set_bytes", measured_ws}, {"requested_bytes", ws},
                  {"per_thread_bytes", measured_ws / team.size()}, {"threads", team.size()}, {"iterations", iters}};
      sink.result(r);
      sink.progress(fmt::format("memory sweep: {} {} {:.1f} GB/s", info.name, format_bytes(measured_ws), r.value));
      curve.push_back({measured_ws, r.value});
      results.push_back(std::move(r));
    }
    // Bandwidth falls as the set leaves a level, so find_plateaus sees the same shape as latency.
    for (auto& p : find_plateaus(curve, levels)) {
      auto r = plateau_result(info.name, "GB/s", kernel.impl, p);
      r.params["threads"] = team.size();
      sink.result(r);
      results.push_back(std::move(r));
    }
  }
  return results;
}

}  // namespace specgap::suites
