#pragma once
// The command line: one file per subcommand (cmd_*.cpp), parsed with CLI11. Commands build a plan,
// call the suites and render the answer; they do no measuring or analysis of their own.
#include <functional>
#include <string>

#include <CLI/CLI.hpp>

#include "report/render.h"

namespace specgap::cli {

// Flags every command shares.
struct GlobalOptions {
  std::string db;          // --db, else SPECGAP_DB, else the XDG default
  bool json = false, csv = false, md = false;
  double sample_hz = 10;   // --sample-hz: telemetry ticks per second beside a measuring run; 0: off
  std::string command_line;
  report::Format format() const;
};

// A subcommand and what runs it once parsed (returns the exit code).
struct Command {
  CLI::App* sub;
  std::function<int()> run;
};

Command add_probe_command(CLI::App& app, GlobalOptions& g);
Command add_memory_command(CLI::App& app, GlobalOptions& g);
Command add_compute_command(CLI::App& app, GlobalOptions& g);
Command add_gemm_worker_command(CLI::App& app, GlobalOptions& g);
Command add_history_command(CLI::App& app, GlobalOptions& g);
Command add_show_command(CLI::App& app, GlobalOptions& g);
Command add_audit_command(CLI::App& app, GlobalOptions& g);
Command add_llm_command(CLI::App& app, GlobalOptions& g);
Command add_gguf_command(CLI::App& app, GlobalOptions& g);
Command add_soak_command(CLI::App& app, GlobalOptions& g);
Command add_catalog_command(CLI::App& app, GlobalOptions& g);
Command add_predict_command(CLI::App& app, GlobalOptions& g);
Command add_compare_command(CLI::App& app, GlobalOptions& g);
Command add_diff_command(CLI::App& app, GlobalOptions& g);
Command add_report_command(CLI::App& app, GlobalOptions& g);

// Parses, runs, and maps every error to a one-line message and an exit code.
int run(int argc, char** argv);

}  // namespace specgap::cli
