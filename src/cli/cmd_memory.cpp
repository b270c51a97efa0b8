// specgap memory: sustained bandwidth (default), --sweep over working sets, --latency.
#include "cli/cmd_memory.h"

#include <fmt/format.h>

#include <algorithm>

#include "backends/cpu/memory_kernels.h"
#include "cli/app.h"
#include "cli/session.h"
#include "core/error.h"
#include "core/units.h"
#include "suites/memory/plan.h"
#include "suites/transfer/transfers.h"

namespace specgap::cli {
namespace {
uint64_t bytes_flag(const std::string& text, const char* flag) {
  const auto v = parse_bytes(text);
  if (!v) throw UsageError(fmt::format("{} {}: not a size (examples: 64M, 1.5G, 16k)", flag, text));
  return *v;
}

std::vector<StreamOp> ops_flag(const std::vector<std::string>& names) {
  std::vector<StreamOp> ops;
  const auto& all = all_stream_ops();
  for (auto& n : names) {
    auto it = std::find_if(all.begin(), all.end(), [&](auto& i) { return n == i.name; });
    if (it == all.end()) throw UsageError("--ops " + n + ": unknown kernel (copy, scale, add, triad, read, write)");
    ops.push_back(it->op);
  }
  if (ops.empty())
    for (auto& info : all) ops.push_back(info.op);
  return ops;
}

// Every --impl must name a variant this CPU runs, for every op it will be asked of.
void check_impls(const std::vector<std::string>& impls, const std::vector<StreamOp>& ops, bool each_op) {
  for (auto& i : impls) {
    bool anywhere = false;
    for (StreamOp op : ops) {
      const auto kernels = cpu::memory_kernels(op);
      const bool here = std::any_of(kernels.begin(), kernels.end(), [&](auto& k) { return k.impl == i; });
      if (each_op && !here)
        throw UsageError(fmt::format("--impl {}: {} has no such variant on this CPU (the sweep runs one variant "
                                     "for every op: choose --ops too)", i, stream_op_info(op).name));
      anywhere |= here;
    }
    if (!anywhere) throw UsageError("--impl " + i + ": no such variant on this CPU (see the impl column)");
  }
}

// A device that offers no pointer chase says why in one line, before anything is measured.
void refuse_without_latency(backends::Device& d) {
  const backends::Offer offer = d.latency({16 * KiB});
  if (offer.kernels.empty()) throw UsageError(fmt::format("--latency on {}: {}", d.info().id, offer.unsupported));
}

void check_range(uint64_t min_bytes, uint64_t max_bytes) {
  if (min_bytes > max_bytes)
    throw UsageError(fmt::format("--min-size {} is larger than --max-size {}", format_bytes(min_bytes),
                                 format_bytes(max_bytes)));
}
}  // namespace

MemoryPlan plan_memory(const MemoryOptions& o, const Machine& m) {
  std::vector<std::vector<int>> placements;  // the CPUs of each thread count asked for
  for (int threads : o.threads.empty() ? std::vector<int>{std::max(1, int(m.cpu.core_pus.size()))} : o.threads)
    placements.push_back(suites::pick_cpus(m.cpu, threads));
  if (placements.size() > 1 && (o.sweep || o.latency))
    throw UsageError("--sweep and --latency take one --threads count; a list is for bandwidth scaling");
  const auto& cpus = placements.front();
  const auto ops = ops_flag(o.ops);
  if (o.sweep && o.impls.size() > 1) throw UsageError("--sweep runs one variant: give one --impl");
  check_impls(o.impls, ops, o.sweep);
  const uint64_t min_bytes = o.min_size.empty() ? 16 * KiB : bytes_flag(o.min_size, "--min-size");
  // Every size given is checked, even one the chosen mode does not use: a typo is never ignored.
  if (!o.max_size.empty()) bytes_flag(o.max_size, "--max-size");
  if (!o.size.empty()) bytes_flag(o.size, "--size");
  MemoryPlan plan;
  plan.reps = o.reps;
  if (!o.size.empty()) plan.device_bytes = bytes_flag(o.size, "--size");
  if (!o.max_size.empty()) plan.device_max_bytes = bytes_flag(o.max_size, "--max-size");
  if (o.sweep) {
    suites::SweepConfig c;
    c.cpus = cpus;
    c.ops = ops;
    c.impl = o.impls.empty() ? "" : o.impls.front();
    c.reps = std::min(o.reps, 7);
    c.min_bytes = min_bytes;
    c.max_bytes = o.max_size.empty() ? std::max<uint64_t>(4 * last_level_cache_bytes(m.cpu), 64 * MiB)
                                     : bytes_flag(o.max_size, "--max-size");
    check_range(c.min_bytes, c.max_bytes);
    // Three arrays, each large enough for the largest point of a one-array kernel.
    suites::check_fits_in_memory(m, c.max_bytes, 3, "--max-size");
    plan.sweep = c;
    plan.sweep_levels = suites::working_set_capacities(m.cpu, cpus.size());
  }
  if (o.latency) {
    suites::LatencyConfig c;
    c.cpu = cpus.front();
    c.min_bytes = min_bytes;
    if (!o.max_size.empty()) c.max_bytes = bytes_flag(o.max_size, "--max-size");
    check_range(c.min_bytes, c.max_bytes);
    suites::check_fits_in_memory(m, c.max_bytes, 1, "--max-size");
    plan.latency = c;
    plan.latency_levels = suites::working_set_capacities(m.cpu, 1);
  }
  if (!o.sweep && !o.latency) {
    for (auto& placement : placements) {
      suites::BandwidthConfig c;
      c.cpus = placement;
      c.ops = ops;
      c.impls = o.impls;
      c.reps = o.reps;
      c.array_bytes = o.size.empty() ? suites::default_array_bytes(m) : bytes_flag(o.size, "--size");
      c.array_bytes = std::max<uint64_t>(c.array_bytes / 4096 * 4096, 4096);
      suites::check_fits_in_memory(m, c.array_bytes, 3, "--size");
      plan.bandwidth.push_back(c);
    }
  }
  return plan;
}

void measure_memory(const MemoryPlan& plan, const std::vector<backends::Device*>& devices, RunSink& sink) {
  for_each_device(devices, "memory", sink, [&](backends::Device& device) {
    if (device.info().backend == "cpu") {
      if (plan.sweep) suites::measure_sweep(device, *plan.sweep, plan.sweep_levels, sink);
      if (plan.latency) suites::measure_latency(device, *plan.latency, plan.latency_levels, sink);
      for (auto& c : plan.bandwidth) suites::measure_bandwidth(device, c, sink);
      return;
    }
    // A device's cache sizes are unknown to Vulkan: its plateaus are numbered, not named.
    if (plan.sweep) {
      suites::SweepConfig c = *plan.sweep;
      c.cpus = {};
      c.max_bytes = suites::device_sweep_bytes(device.info(), plan.device_max_bytes, "--max-size");
      suites::measure_sweep(device, c, {}, sink);
    }
    if (plan.latency) {
      suites::LatencyConfig c = *plan.latency;
      c.cpu = -1;
      c.max_bytes = suites::device_latency_bytes(device.info(), plan.device_max_bytes, "--max-size");
      suites::measure_latency(device, c, {}, sink);
    }
    if (plan.sweep || plan.latency) return;
    suites::BandwidthConfig c;
    c.array_bytes = suites::device_array_bytes(device.info(), plan.device_bytes, "--size");
    c.reps = plan.reps;
    if (!plan.bandwidth.empty()) c.ops = plan.bandwidth.front().ops;
    suites::measure_bandwidth(device, c, sink);
    suites::TransferConfig t;
    t.bytes = plan.device_bytes ? plan.device_bytes : suites::default_transfer_bytes(device.info());
    t.reps = plan.reps;
    suites::measure_transfers(device, t, sink);
  });
}

Command add_memory_command(CLI::App& app, GlobalOptions& g) {
  auto o = std::make_shared<MemoryOptions>();
  auto* sub = app.add_subcommand("memory", "memory bandwidth (STREAM kernels), --sweep over cache levels, --latency");
  sub->add_option("--threads,-t", o->threads,
                  "pinned threads, one per core (default: all physical cores); a list such as 1,2 measures "
                  "bandwidth at each count")
      ->delimiter(',')
      ->check(CLI::Range(1, 4096));
  sub->add_option("--size", o->size, "bytes per array (default: max(4x last-level cache, 1 GiB))");
  sub->add_option("--reps", o->reps, "timed repetitions per variant")->check(CLI::Range(1, 1000));
  sub->add_option("--ops", o->ops, "kernels to run: copy scale add triad read write (default: all)")->delimiter(',');
  sub->add_option("--impl", o->impls, "only these variants, e.g. avx512,avx512-nt (see the impl column)")
      ->delimiter(',');
  sub->add_flag("--sweep", o->sweep, "bandwidth over working sets from 16 KiB to 4x the last-level cache (a GPU: "
                                     "to 512 MiB within its largest buffer)");
  sub->add_flag("--latency", o->latency, "load-to-use latency by random pointer chase, 16 KiB to 1 GiB (a GPU: "
                                         "to 256 MiB within its largest buffer)");
  sub->add_option("--min-size", o->min_size, "smallest working set for --sweep/--latency (default 16K)");
  sub->add_option("--max-size", o->max_size, "largest working set for --sweep/--latency");
  sub->add_option("--device", o->devices, "cpu (default), gpu0, ..., a list, or all (every real device); a GPU "
                                          "runs the STREAM kernels and host/device transfers, --sweep and --latency")
      ->delimiter(',');
  return {sub, [o, &g] {
            const Machine m = probe_machine();
            const MemoryPlan plan = plan_memory(*o, m);  // a bad value records no run
            const ChosenDevices devices = choose_devices(m, o->devices);
            const bool gpu = std::any_of(devices.chosen.begin(), devices.chosen.end(),
                                         [](auto* d) { return d->info().backend != "cpu"; });
            if (gpu && !o->impls.empty()) throw UsageError("--impl names CPU variants; give --device cpu");
            // What a device cannot do, or a size it cannot hold, is refused before a run is recorded.
            for (auto* d : devices.chosen) {
              if (d->info().backend == "cpu") continue;
              if (o->sweep) suites::device_sweep_bytes(d->info(), plan.device_max_bytes, "--max-size");
              if (o->latency) {
                refuse_without_latency(*d);
                check_range(plan.latency->min_bytes,
                            suites::device_latency_bytes(d->info(), plan.device_max_bytes, "--max-size"));
              }
              if (!o->sweep && !o->latency) suites::device_array_bytes(d->info(), plan.device_bytes, "--size");
            }
            Session session(g, m, devices_json(devices));
            return session.run([&](RunSink& sink) { measure_memory(plan, devices.chosen, sink); });
          }};
}

}  // namespace specgap::cli
