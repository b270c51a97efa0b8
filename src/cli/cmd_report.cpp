// specgap report RUN_ID: a stored run with the audit's findings (claim vs delivered, roofline, ranking,
// advice), as text, JSON, CSV or Markdown on stdout, or as one self-contained HTML file whose path is
// printed. --catalog DIR adds systems to hold the run against, as `specgap catalog` does.
#include <cstdio>

#include "analysis/findings.h"
#include "cli/app.h"
#include "cli/catalog_source.h"
#include "cli/report_files.h"
#include "cli/session.h"
#include "cli/stopped_runs.h"
#include "core/error.h"
#include "report/findings_tables.h"

namespace specgap::cli {
namespace {

report::Format text_format(const std::string& name, const GlobalOptions& g) {
  if (name == "json") return report::Format::json;
  if (name == "csv") return report::Format::csv;
  if (name == "md") return report::Format::markdown;
  if (name == "text") return report::Format::text;
  return g.format();  // no --format: what --json, --csv or --md said
}

}  // namespace

Command add_report_command(CLI::App& app, GlobalOptions& g) {
  struct Options {
    std::string run_id, format, output;
    std::vector<std::string> catalog_dirs;
  };
  auto o = std::make_shared<Options>();
  auto* sub = app.add_subcommand(
      "report", "a stored run with the audit's findings, as text, JSON, CSV, Markdown or a self-contained HTML page");
  sub->add_option("run_id", o->run_id, "run id, or a unique prefix of one (see specgap history)")->required();
  sub->add_option("--format", o->format, "text, json, csv, md or html (default: text, or what --json/--csv/--md say)")
      ->check(CLI::IsMember({"text", "json", "csv", "md", "html"}));
  sub->add_option("-o,--output", o->output,
                  "write to this file (or into this folder) instead of stdout and print its path; html defaults to "
                  "reports/RUN_ID.html beside the results database");
  add_catalog_option(sub, o->catalog_dirs);
  return {sub, [o, &g] {
            auto store = open_store(g, Store::Use::read);
            auto run = store->load_run(o->run_id);
            if (!run) throw UsageError("no run " + o->run_id + " in " + store->path() + " (see specgap history)");
            add_stopped_soak(*run, *store);
            const auto systems = load_catalog_with(o->catalog_dirs);
            if (o->format == "html") {
              std::puts(write_html_report(*run, systems, o->output, store->path()).c_str());
              return kExitOk;
            }
            const std::string text =
                report::render_with_findings(*run, analysis::audit_findings(*run, systems), text_format(o->format, g));
            if (o->output.empty()) {
              std::fputs(text.c_str(), stdout);
            } else {
              write_file_atomically(o->output, text);
              std::puts(o->output.c_str());
            }
            return kExitOk;
          }};
}

}  // namespace specgap::cli
