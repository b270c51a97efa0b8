#pragma once
// A GEMM library run in a child process with a changed environment. OpenBLAS fixes its kernels when
// it loads, from OPENBLAS_CORETYPE if set: an environment that caps it (as this project's CI does)
// can only be undone in a fresh process. The child is `specgap gemm-worker`, which serves one
// library over a line protocol on its stdin/stdout; its timings are taken inside the child, so the
// pipe is never in a timed region, and a crash of the library (an illegal instruction in a kernel
// the environment had kept away) fails that library's figure, not the run.
#include <istream>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "backends/cpu/gemm.h"

namespace specgap::cpu {

// The child's side: serves `library` until its input ends. Returns the process exit code.
int serve_gemm_worker(const std::string& library, std::istream& in, std::ostream& out);

// The parent's side: `library` run by `worker_exe gemm-worker --library NAME` with the variables in
// `unset_env` removed from its environment; its name() is "<library>@child". One instance of it
// lives at a time (preparing another frees the last). Throws specgap::Error when the child cannot
// be started.
std::unique_ptr<GemmLibrary> child_gemm_library(const std::string& worker_exe, const std::string& library,
                                                const std::vector<std::string>& unset_env);

}  // namespace specgap::cpu
