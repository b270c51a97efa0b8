// specgap audit: the one command. Today: probe, then the memory suite (bandwidth and latency); the
// suites that do not exist yet are named, not faked.
#include <cstdio>

#include "cli/app.h"
#include "cli/cmd_memory.h"
#include "cli/session.h"

namespace specgap::cli {

Command add_audit_command(CLI::App& app, GlobalOptions& g) {
  auto* sub = app.add_subcommand("audit", "probe the machine and run every suite that is built");
  return {sub, [&g] {
            const Machine m = probe_machine();
            MemoryOptions latency;
            latency.latency = true;
            const MemoryPlan plans[] = {plan_memory(MemoryOptions{}, m), plan_memory(latency, m)};
            Session session(g, m);
            const int code = session.run([&](RunSink& sink) {
              for (auto& plan : plans) measure_memory(plan, sink);
            });
            std::fprintf(stderr,
                         "specgap audit: not built yet: compute (FLOP/s per precision), transfer, llm, soak, "
                         "claims vs delivered, ranking\n");
            return code;
          }};
}

}  // namespace specgap::cli
