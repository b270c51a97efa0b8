// specgap gemm-worker: not for people. The compute suite starts it to run a GEMM library in a
// process of its own, with an environment the parent could not give its own copy of the library
// (backends/cpu/gemm_worker.h). It speaks a line protocol on stdin/stdout and records nothing.
#include <iostream>

#include "backends/cpu/gemm_worker.h"
#include "cli/app.h"

namespace specgap::cli {

Command add_gemm_worker_command(CLI::App& app, GlobalOptions&) {
  auto library = std::make_shared<std::string>();
  auto* sub = app.add_subcommand("gemm-worker", "internal: serve one GEMM library to a parent specgap");
  sub->group("");  // hidden from --help
  sub->add_option("--library", *library, "onednn or openblas")->required();
  return {sub, [library] { return cpu::serve_gemm_worker(*library, std::cin, std::cout); }};
}

}  // namespace specgap::cli
