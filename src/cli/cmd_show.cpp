// specgap show RUN_ID: re-renders a stored run, finished or not, in any output format.
#include <cstdio>

#include "cli/app.h"
#include "cli/session.h"
#include "cli/stopped_runs.h"
#include "core/error.h"

namespace specgap::cli {

Command add_show_command(CLI::App& app, GlobalOptions& g) {
  auto id = std::make_shared<std::string>();
  auto* sub = app.add_subcommand("show", "re-render a stored run (see specgap history)");
  sub->add_option("run_id", *id, "run id, or a unique prefix of one")->required();
  return {sub, [id, &g] {
            auto store = open_store(g, Store::Use::read);
            auto run = store->load_run(*id);
            if (!run) throw UsageError("no run " + *id + " in " + store->path() + " (see specgap history)");
            add_stopped_soak(*run, *store);
            std::fputs(report::render_run(*run, g.format()).c_str(), stdout);
            return 0;
          }};
}

}  // namespace specgap::cli
