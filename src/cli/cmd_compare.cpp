// specgap compare [--model M --quant Q]: this machine beside the catalog's systems, ranked by decode
// tokens/s for a model, with prefill, tokens/s per $1000 and per watt. Catalog rows are projections
// from their claims; this machine's row is its own measurement when it ran that model.
#include <fmt/format.h>

#include <cstdio>

#include "analysis/ranking.h"
#include "cli/app.h"
#include "cli/catalog_source.h"
#include "cli/latest_results.h"
#include "cli/model_choice.h"
#include "cli/session.h"
#include "core/error.h"
#include "report/findings_tables.h"

namespace specgap::cli {
namespace {
struct CompareOptions {
  std::string model = "llama-3.1-8b", quant;
  std::optional<double> price, watts;
  bool catalog_only = false;
  std::vector<std::string> catalog_dirs;
};
}  // namespace

Command add_compare_command(CLI::App& app, GlobalOptions& g) {
  auto o = std::make_shared<CompareOptions>();
  auto* sub = app.add_subcommand("compare", "rank this machine against the catalog's systems for an LLM: tokens/s, per dollar, per watt");
  sub->add_option("--model", o->model, "the model to rank by (default llama-3.1-8b; see specgap predict --help)");
  sub->add_option("--quant", o->quant, "its quant (default: how the model usually ships)");
  sub->add_option("--price", o->price, "what this machine cost, in US dollars, for the per-dollar column")->check(CLI::PositiveNumber);
  sub->add_option("--watts", o->watts,
                  "what this machine draws under load, in watts: the only source of the per-watt column")
      ->check(CLI::PositiveNumber);
  sub->add_flag("--catalog-only", o->catalog_only, "rank the catalog's systems without this machine");
  add_catalog_option(sub, o->catalog_dirs);
  return {sub, [o, &g] {
            const auto model = chosen_model(o->model, o->quant);
            const auto systems = load_catalog_with(o->catalog_dirs);
            std::optional<MeasuredHere> measured;
            analysis::ThisMachine here{nullptr, o->price, o->watts};
            if (!o->catalog_only) {
              measured = measured_here(g, "give --catalog-only");
              here.figures = &measured->figures;
            }
            const auto ranking = analysis::rank_systems(systems, here, model.model, model.quant);
            auto j = analysis::to_json(*ranking);
            j["hardware"] = analysis::to_json(analysis::hardware_ranking(systems, here));
            if (g.format() == report::Format::json) {
              std::printf("%s\n", j.dump(2).c_str());
              return kExitOk;
            }
            std::fputs((report::draw(report::ranking_table(j), g.format()) + "\n" +
                        report::draw(report::hardware_table(j["hardware"]), g.format()))
                           .c_str(),
                       stdout);
            return kExitOk;
          }};
}

}  // namespace specgap::cli
