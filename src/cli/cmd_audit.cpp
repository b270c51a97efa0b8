// specgap audit: the one command. Today: probe, the memory suite (bandwidth and latency), the
// compute suite (peak per dtype, and GEMM on a short list of shapes) and the LLM suite (llama-bench's
// pp512 and tg128, TTFT and TPOT on the Llama-3.2-1B shape in Q4_0) and a one-minute GEMM soak, with
// telemetry beside all of it; the suites that do not exist yet are named, not faked.
#include <cstdio>

#include "cli/app.h"
#include "cli/cmd_compute.h"
#include "cli/cmd_llm.h"
#include "cli/cmd_memory.h"
#include "cli/cmd_soak.h"
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
            LlmOptions llm_options;
            llm_options.reps = 3;
            const suites::LlmConfig llm = plan_llm(llm_options, m);
            suites::check_llm_fits(llm);
            SoakOptions soak_options;
            soak_options.minutes = 1;
            const suites::SoakConfig soak = plan_soak(soak_options, m);
            Session session(g, m);
            const int code = session.run([&](RunSink& sink) {
              for (auto& plan : memory) measure_memory(plan, sink);
              measure_compute(compute, sink);
              suites::measure_llm(llm, sink);
              suites::measure_soak(soak, sink);
            });
            std::fprintf(stderr,
                         "specgap audit: not built yet: transfer, claims from the catalog, ranking\n");
            return code;
          }};
}

}  // namespace specgap::cli
