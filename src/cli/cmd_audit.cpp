// specgap audit: the one command. Today: probe, the memory suite (bandwidth and latency), and the
// compute suite (peak per dtype, and GEMM on a short list of shapes); the suites that do not exist
// yet are named, not faked.
#include <cstdio>

#include "cli/app.h"
#include "cli/cmd_compute.h"
#include "cli/cmd_memory.h"
#include "cli/session.h"

namespace specgap::cli {
namespace {
// The GEMM shapes audit runs: a small and a large square and the largest Llama-3-8B prefill layer;
// `specgap compute` sweeps the whole list.
ComputeOptions audit_compute_options() {
  ComputeOptions o;
  o.shapes = {"1024", "4096", "512x14336x4096"};
  return o;
}
}  // namespace

Command add_audit_command(CLI::App& app, GlobalOptions& g) {
  auto* sub = app.add_subcommand("audit", "probe the machine and run every suite that is built");
  return {sub, [&g] {
            const Machine m = probe_machine();
            MemoryOptions latency;
            latency.latency = true;
            const MemoryPlan memory[] = {plan_memory(MemoryOptions{}, m), plan_memory(latency, m)};
            const ComputePlan compute = plan_compute(audit_compute_options(), m);
            Session session(g, m);
            const int code = session.run([&](RunSink& sink) {
              for (auto& plan : memory) measure_memory(plan, sink);
              measure_compute(compute, sink);
            });
            std::fprintf(stderr,
                         "specgap audit: not built yet: transfer, llm, soak, claims from the catalog, ranking\n");
            return code;
          }};
}

}  // namespace specgap::cli
