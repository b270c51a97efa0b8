// specgap diff RUN_A RUN_B: every figure two runs share, its change, and whether that change is
// larger than the noise the runs themselves measured (changes within it are called the same; figures
// of fewer than 3 repetitions have no measured noise, and are not judged).
#include <fmt/format.h>

#include <cmath>
#include <cstdio>

#include "analysis/run_diff.h"
#include "cli/app.h"
#include "cli/session.h"
#include "core/error.h"
#include "report/render.h"

namespace specgap::cli {
namespace {
std::string cell(const std::optional<Result>& r) {
  if (!r || !std::isfinite(r->value)) return "-";
  return report::format_value(r->value) + (r->stats.reps > 1 ? fmt::format(" ±{:.1f}%", r->stats.cv * 100) : "");
}
nlohmann::json side(const std::optional<Result>& r) {
  if (!r) return nullptr;
  return {{"value", r->value}, {"cv", r->stats.cv}, {"min", r->stats.min}, {"max", r->stats.max}, {"reps", r->stats.reps},
          {"impl", r->impl}, {"check", r->check}};
}
}  // namespace

Command add_diff_command(CLI::App& app, GlobalOptions& g) {
  auto ids = std::make_shared<std::pair<std::string, std::string>>();
  auto* sub = app.add_subcommand("diff", "compare two stored runs figure by figure, flagging changes larger than the noise");
  sub->add_option("run_a", ids->first, "the run to compare against (id or unique prefix)")->required();
  sub->add_option("run_b", ids->second, "the run compared")->required();
  return {sub, [ids, &g] {
            auto store = open_store(g, Store::Use::read);
            auto load = [&](const std::string& id) {
              auto run = store->load_run(id);
              if (!run) throw UsageError("no run " + id + " in " + store->path() + " (see specgap history)");
              return *run;
            };
            const RunRecord a = load(ids->first), b = load(ids->second);
            const auto changes = analysis::diff_runs(a, b);
            int flagged = 0, unjudged = 0;
            for (const auto& c : changes) {
              flagged += c.verdict == "higher" || c.verdict == "lower";
              unjudged += c.verdict == "not judged";
            }
            if (g.format() == report::Format::json) {
              nlohmann::json rows = nlohmann::json::array();
              for (const auto& c : changes)
                rows.push_back({{"figure", c.figure}, {"unit", c.unit}, {"a", side(c.a)}, {"b", side(c.b)},
                                {"change", c.a && c.b ? nlohmann::json(c.change) : nlohmann::json(nullptr)},
                                {"noise", c.noise}, {"verdict", c.verdict}, {"why", c.why},
                                {"lower_is_better", c.lower_is_better}});
              std::printf("%s\n", nlohmann::json{{"run_a", a.run_id}, {"run_b", b.run_id}, {"changes", rows},
                                                 {"flagged", flagged}}.dump(2).c_str());
              return kExitOk;
            }
            report::Table t{fmt::format("{} (A) -> {} (B)", a.run_id, b.run_id),
                            {"figure", "unit", "A (median ±cv)", "B (median ±cv)", "change", "noise", "verdict"},
                            {},
                            {}};
            for (const auto& c : changes) {
              const bool both = c.a && c.b && c.verdict != "not comparable";
              const bool judged = both && c.verdict != "not judged";
              std::string verdict = c.verdict;
              if (c.verdict == "higher" || c.verdict == "lower")
                verdict += (c.verdict == "higher") != c.lower_is_better ? " (better)" : " (worse)";
              if (!c.why.empty()) verdict += ": " + c.why;
              t.rows.push_back({c.figure, c.unit, cell(c.a), cell(c.b), both ? fmt::format("{:+.1f}%", c.change * 100) : "-",
                                judged ? fmt::format("{:.1f}%", c.noise * 100) : "-", verdict});
            }
            t.notes.push_back(fmt::format("{} of {} figures changed by more than the noise (twice the larger CV of the "
                                          "two, and the two runs' [min, max] ranges apart)",
                                          flagged, changes.size()));
            if (unjudged > 0)
              t.notes.push_back(fmt::format("{} not judged: a figure needs {} repetitions in each run for its spread "
                                            "to say what noise is (specgap memory --reps, llm -r)",
                                            unjudged, analysis::kMinJudgedReps));
            std::fputs(report::draw(t, g.format()).c_str(), stdout);
            return kExitOk;
          }};
}

}  // namespace specgap::cli
