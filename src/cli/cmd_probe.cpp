// specgap probe: what this machine is. Measures nothing, so it records no run.
#include <cstdio>

#include "cli/app.h"
#include "probe/cpuid.h"
#include "probe/machine.h"
#include "report/render.h"

namespace specgap::cli {

Command add_probe_command(CLI::App& app, GlobalOptions& g) {
  auto dump = std::make_shared<bool>(false);
  auto* sub = app.add_subcommand("probe", "identify the CPU, caches, memory and GPUs");
  sub->add_flag("--cpuid-dump", *dump, "print the raw CPUID leaves as JSON (for bug reports and test fixtures)");
  return {sub, [dump, &g] {
            if (*dump) {
              std::printf("%s\n", cpuid_leaves_to_json(read_cpuid_leaves()).dump(2).c_str());
              return 0;
            }
            const Machine m = probe_machine();
            const auto j = to_json(m);
            if (g.format() == report::Format::json) {
              std::printf("%s\n", j.dump(2).c_str());
            } else {
              std::fputs(report::draw(report::machine_table(j), g.format()).c_str(), stdout);
            }
            return 0;
          }};
}

}  // namespace specgap::cli
