// specgap memory: sustained bandwidth (default), --sweep over working sets, --latency.
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "cli/app.h"
#include "cli/cmd_memory.h"
#include "cli/session.h"
#include "core/error.h"
#include "core/units.h"
#include "probe/machine.h"
#include "suites/memory/bandwidth.h"
#include "suites/memory/latency.h"
#include "suites/memory/plan.h"
#include "suites/memory/sweep.h"

namespace specgap::cli {
namespace {

uint64_t bytes_flag(const std::string& text, const char* flag) {
  const auto v = parse_bytes(text);
  if (!v) throw UsageError(fmt::format("{} {}: not a size (examples: 64M, 1.5G, 16k)", flag, text));
  return *v;
}

std::vector<cpu::MemOp> ops_flag(const std::vector<std::string>& names) {
  std::vector<cpu::MemOp> ops;
  for (auto& n : names) {
    const auto& all = cpu::all_mem_ops();
    auto it = std::find_if(all.begin(), all.end(), [&](auto& i) { return n == i.name; });
    if (it == all.end()) throw UsageError("--ops " + n + ": unknown kernel (copy, scale, add, triad, read, write)");
    ops.push_back(it->op);
  }
  return ops;
}

void check_impls(const std::vector<std::string>& impls) {
  const auto kernels = cpu::memory_kernels();
  for (auto& i : impls)
    if (std::none_of(kernels.begin(), kernels.end(), [&](auto& k) { return k.impl == i; }))
      throw UsageError("--impl " + i + ": no such variant on this CPU (see the impl column of specgap memory)");
}
}  // namespace

void validate_memory_options(const MemoryOptions& o, const Machine& m) {
  if (!o.size.empty()) bytes_flag(o.size, "--size");
  if (!o.min_size.empty()) bytes_flag(o.min_size, "--min-size");
  if (!o.max_size.empty()) bytes_flag(o.max_size, "--max-size");
  ops_flag(o.ops);
  check_impls(o.impls);
  if (o.threads > 0) suites::pick_cpus(m.cpu, o.threads);
}

void measure_memory(const MemoryOptions& o, const Machine& m, RunSink& sink) {
  const int threads = o.threads > 0 ? o.threads : std::max(1, int(m.cpu.core_pus.size()));
  const auto cpus = suites::pick_cpus(m.cpu, threads);
  const auto ops = ops_flag(o.ops);
  if (o.sweep) {
    suites::SweepConfig c;
    c.cpus = cpus;
    c.ops = ops;
    c.impl = o.impls.empty() ? "" : o.impls.front();
    c.reps = std::min(o.reps, 7);
    if (!o.min_size.empty()) c.min_bytes = bytes_flag(o.min_size, "--min-size");
    c.max_bytes = o.max_size.empty() ? std::max<uint64_t>(4 * last_level_cache_bytes(m.cpu), 64 * MiB)
                                     : bytes_flag(o.max_size, "--max-size");
    suites::check_fits_in_memory(m, c.max_bytes / sizeof(double) * sizeof(double), 1, "--max-size");
    suites::measure_sweep(c, suites::working_set_capacities(m.cpu, cpus.size()), sink);
  }
  if (o.latency) {
    suites::LatencyConfig c;
    c.cpu = cpus.front();
    if (!o.min_size.empty()) c.min_bytes = bytes_flag(o.min_size, "--min-size");
    if (!o.max_size.empty()) c.max_bytes = bytes_flag(o.max_size, "--max-size");
    suites::check_fits_in_memory(m, c.max_bytes, 1, "--max-size");
    suites::measure_latency(c, suites::working_set_capacities(m.cpu, 1), sink);
  }
  if (!o.sweep && !o.latency) {
    suites::BandwidthConfig c;
    c.cpus = cpus;
    c.ops = ops;
    c.impls = o.impls;
    c.reps = o.reps;
    c.array_bytes = o.size.empty() ? suites::default_array_bytes(m) : bytes_flag(o.size, "--size");
    c.array_bytes = std::max<uint64_t>(c.array_bytes / 4096 * 4096, 4096);
    suites::check_fits_in_memory(m, c.array_bytes, 3, "--size");
    suites::measure_bandwidth(c, sink);
  }
}

Command add_memory_command(CLI::App& app, GlobalOptions& g) {
  auto o = std::make_shared<MemoryOptions>();
  auto* sub = app.add_subcommand("memory", "memory bandwidth (STREAM kernels), --sweep over cache levels, --latency");
  sub->add_option("--threads,-t", o->threads, "pinned threads, one per core (default: all physical cores)")
      ->check(CLI::Range(1, 4096));
  sub->add_option("--size", o->size, "bytes per array (default: max(4x last-level cache, 1 GiB))");
  sub->add_option("--reps", o->reps, "timed repetitions per variant")->check(CLI::Range(1, 1000));
  sub->add_option("--ops", o->ops, "kernels to run: copy scale add triad read write (default: all)")->delimiter(',');
  sub->add_option("--impl", o->impls, "only these variants, e.g. avx512,avx512-nt (see the impl column)")
      ->delimiter(',');
  sub->add_flag("--sweep", o->sweep, "bandwidth over working sets from 16 KiB to 4x the last-level cache");
  sub->add_flag("--latency", o->latency, "load-to-use latency by random pointer chase, 16 KiB to 1 GiB");
  sub->add_option("--min-size", o->min_size, "smallest working set for --sweep/--latency (default 16K)");
  sub->add_option("--max-size", o->max_size, "largest working set for --sweep/--latency");
  return {sub, [o, &g] {
            const Machine m = probe_machine();
            // Flags are checked before the store is opened: a typo records no run.
            validate_memory_options(*o, m);
            Session session(g, m);
            return session.run([&](RunSink& sink) { measure_memory(*o, m, sink); });
          }};
}

}  // namespace specgap::cli
