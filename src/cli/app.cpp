#include "cli/app.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <vector>

#include "core/build_info.h"
#include "core/error.h"
#include "core/interrupt.h"

namespace specgap::cli {

report::Format GlobalOptions::format() const {
  if (json) return report::Format::json;
  if (csv) return report::Format::csv;
  if (md) return report::Format::markdown;
  return report::Format::text;
}

namespace {
std::string join_args(int argc, char** argv) {
  std::string s = "specgap";
  for (int i = 1; i < argc; ++i) s += std::string(" ") + argv[i];
  return s;
}

// CLI11 messages can span lines; the user gets one.
std::string one_line(std::string s) {
  for (auto& c : s)
    if (c == '\n') c = ' ';
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}
// The first word that is neither a global flag nor the value of --db.
std::string first_unplaced_word(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string w = argv[i];
    if (w == "--db" || w == "--sample-hz") {
      ++i;
      continue;
    }
    if (w.rfind("--db=", 0) == 0 || w.rfind("--sample-hz=", 0) == 0 || w == "--json" || w == "--csv" || w == "--md") continue;
    return w;
  }
  return "";
}
}  // namespace

int run(int argc, char** argv) {
  CLI::App app{"specgap: what AI hardware really delivers, held against what its spec sheet promises"};
  app.set_version_flag("--version", fmt::format("specgap {} ({}, {}; backends: {})", build::version, build::git, build::type,
                                                build::backends));
  app.require_subcommand(1);
  GlobalOptions g;
  g.command_line = join_args(argc, argv);
  app.add_option("--db", g.db, "results database (default: $SPECGAP_DB or $XDG_DATA_HOME/specgap/results.db)");
  auto* json = app.add_flag("--json", g.json, "print the run as JSON (schema specgap.run/1)");
  auto* csv = app.add_flag("--csv", g.csv, "print results as CSV");
  auto* md = app.add_flag("--md", g.md, "print tables as Markdown");
  app.add_option("--sample-hz", g.sample_hz,
                 "telemetry samples per second beside a measuring run (clocks, temperatures, power; 0: off)")
      ->check(CLI::Range(0.0, 100.0));
  json->excludes(csv)->excludes(md);
  csv->excludes(md);
  // Global flags may be given after the subcommand too.
  app.fallthrough();

  const std::vector<Command> commands = {add_audit_command(app, g), add_probe_command(app, g),
                                         add_memory_command(app, g), add_compute_command(app, g), add_llm_command(app, g),
                                         add_history_command(app, g), add_gemm_worker_command(app, g),
                                         add_show_command(app, g), add_gguf_command(app, g),
                                         add_soak_command(app, g), add_catalog_command(app, g),
                                         add_predict_command(app, g), add_compare_command(app, g),
                                         add_diff_command(app, g),
                                         add_report_command(app, g)};

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::fputs(app.help().c_str(), stdout);
    return kExitOk;
  } catch (const CLI::CallForAllHelp&) {
    std::fputs(app.help("", CLI::AppFormatMode::All).c_str(), stdout);
    return kExitOk;
  } catch (const CLI::CallForVersion& e) {
    std::puts(e.what());
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    std::string message = one_line(e.what());
    // Before any subcommand CLI11 only says one is required; name the word it could not place.
    const bool no_command = std::none_of(commands.begin(), commands.end(), [](auto& c) { return c.sub->parsed(); });
    if (no_command && dynamic_cast<const CLI::RequiredError*>(&e))
      if (auto word = first_unplaced_word(argc, argv); !word.empty()) message = "unknown command or option: " + word;
    std::fprintf(stderr, "specgap: %s (see specgap --help)\n", message.c_str());
    return kExitUsage;
  }

  install_interrupt_handlers();
  try {
    for (auto& c : commands)
      if (c.sub->parsed()) return c.run();
    return kExitUsage;
  } catch (const Error& e) {
    std::fprintf(stderr, "specgap: %s\n", one_line(e.what()).c_str());
    return e.exit_code();
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "specgap: out of memory\n");
    return kExitFailure;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "specgap: %s\n", one_line(e.what()).c_str());
    return kExitFailure;
  }
}

}  // namespace specgap::cli
