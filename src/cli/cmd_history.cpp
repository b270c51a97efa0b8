// specgap history: the runs in the store, newest first.
#include <fmt/format.h>

#include <cstdio>

#include "cli/app.h"
#include "cli/session.h"

namespace specgap::cli {

Command add_history_command(CLI::App& app, GlobalOptions& g) {
  auto limit = std::make_shared<int>(50);
  auto* sub = app.add_subcommand("history", "list the runs stored in the results database");
  sub->add_option("--limit,-n", *limit, "how many runs")->check(CLI::Range(1, 100000));
  return {sub, [limit, &g] {
            auto store = open_store(g, Store::Use::read);
            const auto runs = store->list_runs(*limit);
            if (g.format() == report::Format::json) {
              nlohmann::json j = nlohmann::json::array();
              for (auto& r : runs)
                j.push_back({{"run_id", r.run_id}, {"started_at", r.started_at},
                             {"finished_at", r.finished_at.empty() ? nlohmann::json() : nlohmann::json(r.finished_at)},
                             {"status", r.status}, {"command", r.command}, {"results", r.results},
                             {"samples", r.samples}});
              std::printf("%s\n", j.dump(2).c_str());
              return 0;
            }
            report::Table t{"Runs in " + store->path(),
                            {"run", "started", "status", "results", "samples", "command"}, {}, {}};
            for (auto& r : runs)
              t.rows.push_back({r.run_id, r.started_at, r.status, std::to_string(r.results),
                                std::to_string(r.samples), r.command});
            if (runs.empty()) t.notes.push_back("no runs yet: try specgap audit");
            std::fputs(report::draw(t, g.format()).c_str(), stdout);
            return 0;
          }};
}

}  // namespace specgap::cli
