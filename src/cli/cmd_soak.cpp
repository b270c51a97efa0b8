// specgap soak: a sustained workload, its delivered rate per interval beside the telemetry, and what
// sustained load did to it.
#include <fmt/format.h>

#include <algorithm>

#include "cli/cmd_soak.h"

#include "cli/app.h"
#include "cli/device_choice.h"
#include "cli/session.h"
#include "core/error.h"
#include "core/units.h"
#include "suites/memory/plan.h"
#include "suites/soak/soak.h"

namespace specgap::cli {

suites::SoakConfig plan_soak(const SoakOptions& o, const Machine& m) {
  const auto& names = suites::soak_workload_names();
  if (std::find(names.begin(), names.end(), o.workload) == names.end())
    throw UsageError("--workload " + o.workload + ": unknown (gemm, memory, llm, mixed)");
  suites::SoakConfig c;
  c.workload = o.workload;
  c.seconds = o.minutes * 60;
  c.interval_seconds = o.interval;
  if (c.interval_seconds > c.seconds)
    throw UsageError(fmt::format("--interval {} s is longer than the soak ({} s)", o.interval, c.seconds));
  const int threads = o.threads > 0 ? o.threads : std::max(1, int(m.cpu.core_pus.size()));
  c.work.cpus = suites::pick_cpus(m.cpu, threads);
  if (o.workload == "memory" || o.workload == "mixed") {
    uint64_t bytes = suites::default_array_bytes(m);
    if (!o.size.empty()) {
      const auto v = parse_bytes(o.size);
      if (!v || *v < 4096) throw UsageError("--size " + o.size + ": not a size of at least 4K (examples: 64M, 1G)");
      bytes = *v;
    }
    c.work.array_bytes = bytes / 4096 * 4096;
    suites::check_fits_in_memory(m, c.work.array_bytes, 3, "--size");
  }
  return c;
}

suites::SoakConfig plan_device_soak(suites::SoakConfig c, const SoakOptions& o, const backends::DeviceInfo& d) {
  if (c.workload == "llm")
    throw UsageError("--workload llm runs on the CPU only (the LLM engine has no GPU path yet); give --device cpu");
  c.work.array_bytes = suites::device_array_bytes(d, o.size.empty() ? 0 : *parse_bytes(o.size), "--size");
  return c;
}

Command add_soak_command(CLI::App& app, GlobalOptions& g) {
  auto o = std::make_shared<SoakOptions>();
  auto* sub = app.add_subcommand("soak", "sustained load: delivered rate per interval beside clocks, temperature "
                                         "and power, and whether it held");
  sub->add_option("--workload,-w", o->workload, "gemm (fp32 GEMM), memory (STREAM triad), llm (decode on "
                                                "llama-3.2-1b Q4_0) or mixed (gemm and memory in turn)")
      ->capture_default_str();
  sub->add_option("--minutes,-m", o->minutes, "how long to load the machine")
      ->check(CLI::Range(0.05, 24.0 * 60))
      ->capture_default_str();
  sub->add_option("--interval", o->interval, "seconds per reported interval")
      ->check(CLI::Range(0.5, 3600.0))
      ->capture_default_str();
  sub->add_option("-t,--threads", o->threads, "pinned threads, one per core (default: all physical cores)")
      ->check(CLI::Range(1, 4096));
  sub->add_option("--size", o->size, "memory workload: bytes per array (default: max(4x last-level cache, 1 GiB))");
  sub->add_option("--device", o->device, "the device to load: cpu (default), gpu0, ... (gemm and memory workloads)")
      ->capture_default_str();
  return {sub, [o, &g] {
            const Machine m = probe_machine();
            suites::SoakConfig c = plan_soak(*o, m);
            if (o->device == "all") throw UsageError("--device all: a soak loads one device (cpu, gpu0, ...)");
            const ChosenDevices devices = choose_devices(m, {o->device});
            backends::Device& device = *devices.chosen.front();
            if (device.info().backend != "cpu") c = plan_device_soak(c, *o, device.info());
            Session session(g, m, devices_json(devices));
            return session.run([&](RunSink& sink) {
              for_each_device(devices.chosen, "soak", sink,
                              [&](backends::Device& d) { suites::measure_soak(d, c, sink); });
            });
          }};
}

}  // namespace specgap::cli
