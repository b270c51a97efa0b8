#include "suites/compute/gemm.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "backends/cpu/gemm_worker.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/interrupt.h"
#include "core/stats.h"
#include "suites/compute/peak.h"

namespace specgap::suites {
namespace {


// A shape whose single call lasts this long (8192^3 in fp64 takes seconds on a few cores) gets at
// most kLongCallReps repetitions: each is already long enough to average out short noise.
constexpr double kLongCallSeconds = 1.0;
constexpr int kLongCallReps = 3;

struct Library {
  std::unique_ptr<cpu::GemmLibrary> lib;
  std::string environment;  // what its kernel choice ran under
};

struct Entry {
  Library* library;
  cpu::GemmShape shape;
  std::unique_ptr<cpu::GemmInstance> instance;
  std::string kernel;
  std::string check;
  int calls = 1;
  int reps = 0;
  bool long_calls = false;  // a call lasts over kLongCallSeconds
  std::vector<double> rates;
  std::vector<TimedSpan> timed;  // each repetition's calls: part of its dtype's power window
};

double flops(const cpu::GemmShape& s) { return 2.0 * double(s.m) * double(s.n) * double(s.k); }

std::string shape_text(const cpu::GemmShape& s) { return fmt::format("{}x{}x{}", s.m, s.n, s.k); }

// "OPENBLAS_CORETYPE=Haswell" when the environment caps OpenBLAS, else "".
std::string openblas_cap() {
  const char* value = std::getenv(kOpenblasCap);
  return value ? fmt::format("{}={}", kOpenblasCap, value) : "";
}

std::vector<Library> open_libraries(const GemmConfig& c, RunSink& sink) {
  std::vector<Library> out;
  const std::string cap = openblas_cap();
  for (auto& lib : cpu::gemm_libraries()) {
    const std::string name = lib->name();
    if (!c.libraries.empty() && std::find(c.libraries.begin(), c.libraries.end(), name) == c.libraries.end())
      continue;
    const bool capped = name == "openblas" && !cap.empty();
    out.push_back({std::move(lib), capped ? "in process, " + cap : "in process"});
    // A library capped by the environment also runs uncapped, in a child, so a cap never sets the figure.
    if (capped && !c.worker_exe.empty()) {
      try {
        out.push_back({cpu::child_gemm_library(c.worker_exe, name, {kOpenblasCap}), "child process without " + cap});
      } catch (const Error& e) {
        sink.progress(fmt::format("gemm: {} uncapped: {}", name, e.what()));
      }
    }
  }
  return out;
}

nlohmann::json entry_json(const Entry& e) {
  return {{"impl", e.library->lib->name()},
          {"library_version", e.library->lib->version()},
          {"kernel", e.kernel},
          {"environment", e.library->environment},
          {"m", e.shape.m},
          {"n", e.shape.n},
          {"k", e.shape.k},
          {"calls_per_rep", e.calls},
          {"reps", e.reps},
          {"check", e.check},
          {"stats", stats_to_json(summarize(e.rates))},
          {"samples", e.rates}};
}

void measure_shape(std::vector<Entry>& entries, const GemmConfig& c, Dtype d, RunSink& sink) {
  for (auto& e : entries) {
    throw_if_interrupted();
    sink.progress(fmt::format("gemm: {} {} {}: preparing and checking", to_string(d), shape_text(e.shape),
                              e.library->lib->name()));
    try {
      e.instance = e.library->lib->prepare(d, e.shape, c.threads, c.seed);
      e.kernel = e.instance->kernel();
      // The checked call is also the warm-up and, timed, sizes the repetitions (it overstates a
      // call's time a little: the check and any first-call set-up are in it).
      const int64_t start = monotonic_ns();
      const std::string err = e.instance->run_and_check(c.check_samples);
      const double seconds = std::max(1e-9, double(monotonic_ns() - start) * 1e-9);
      e.check = err.empty() ? kCheckPassed : "failed: " + err;
      e.calls = std::max(1, static_cast<int>(std::ceil(c.rep_seconds / seconds)));
      e.long_calls = seconds >= kLongCallSeconds;
      e.reps = e.long_calls ? std::min(c.reps, kLongCallReps) : c.reps;
    } catch (const Interrupted&) {
      throw;
    } catch (const Error& err) {
      e.check = std::string("failed: ") + err.what();
    }
    if (e.check != kCheckPassed) e.instance.reset();
  }
  // Each library's repetitions run back to back after one untimed call, as a program calling it in
  // a loop runs. Interleaving libraries rep by rep timed each against the last one's pool still
  // spinning (OpenBLAS's idle workers spin for about 2^28 cycles), and a pause to let it stop
  // measured cores whose 512-bit units had gone idle (Zen 5 runs them slower for a while after).
  // A call of over a second needs no warm-up call: the spin-down is a few percent of one rep.
  for (auto& e : entries) {
    if (!e.instance) continue;
    throw_if_interrupted();
    try {
      if (!e.long_calls) e.instance->time_calls(1);
    } catch (const Interrupted&) {
      throw;
    } catch (const Error& err) {
      e.check = std::string("failed: ") + err.what();
      e.instance.reset();
      continue;
    }
    for (int rep = 0; rep < e.reps && e.instance; ++rep) {
      throw_if_interrupted();
      try {
        const int64_t begin = monotonic_ns();
        const int64_t ns = e.instance->time_calls(e.calls);
        e.timed.push_back({begin, monotonic_ns()});
        const double rate = flops(e.shape) * e.calls / (double(ns) * 1e-9) / 1e12;
        e.rates.push_back(rate);
        sink.sample({"compute", "gemm", e.library->lib->name(), rate, compute_unit(d),
                     {{"dtype", to_string(d)}, {"m", e.shape.m}, {"n", e.shape.n}, {"k", e.shape.k}, {"rep", rep},
                      {"ns", ns}, {"calls", e.calls}, {"threads", c.threads}}});
      } catch (const Interrupted&) {
        throw;
      } catch (const Error& err) {
        e.check = std::string("failed: ") + err.what();
        e.instance.reset();
      }
      sink.progress(fmt::format("gemm: {} {} {} rep {}/{}", to_string(d), shape_text(e.shape), e.library->lib->name(),
                                rep + 1, e.reps));
    }
  }
  for (auto& e : entries) e.instance.reset();  // free this shape's matrices before the next
}

Result unsupported_result(Dtype d, const std::vector<Library>& libs) {
  Result r = compute_result("gemm", d);
  r.value = std::nan("");
  std::string reasons;
  for (auto& l : libs)
    if (auto why = l.lib->unsupported(d)) reasons += (reasons.empty() ? "" : "; ") + l.lib->name() + ": " + *why;
  r.check = "unsupported: " + (reasons.empty() ? std::string("no GEMM library selected") : reasons);
  return r;
}

}  // namespace

std::vector<cpu::GemmShape> default_gemm_shapes() {
  return {{1024, 1024, 1024}, {2048, 2048, 2048}, {4096, 4096, 4096}, {8192, 8192, 8192},
          // Llama 3 8B at 512 prompt tokens: q/o projections, gate/up, down (reference/llm.md shapes).
          {512, 4096, 4096},  {512, 14336, 4096}, {512, 4096, 14336}};
}

std::vector<Result> measure_gemm(const GemmConfig& config, RunSink& sink) {
  std::vector<Library> libs = open_libraries(config, sink);
  const auto shapes = config.shapes.empty() ? default_gemm_shapes() : config.shapes;
  std::vector<Dtype> dtypes = config.dtypes;
  if (dtypes.empty()) dtypes = {Dtype::fp64, Dtype::fp32, Dtype::bf16, Dtype::fp16, Dtype::int8};

  std::vector<Result> results;
  for (Dtype d : dtypes) {
    std::vector<Library*> able;
    for (auto& l : libs)
      if (!l.lib->unsupported(d)) able.push_back(&l);
    if (able.empty()) {
      Result r = unsupported_result(d, libs);
      sink.result(r);
      results.push_back(std::move(r));
      continue;
    }
    std::vector<Entry> all;
    for (const auto& shape : shapes) {
      std::vector<Entry> entries;
      for (auto* l : able) entries.push_back({l, shape, nullptr, "", "", 1, 0, false, {}, {}});
      measure_shape(entries, config, d, sink);
      for (auto& e : entries) all.push_back(std::move(e));
    }

    Result r = compute_result("gemm", d);
    const Entry* best = nullptr;
    for (auto& e : all) {
      r.variants.push_back(entry_json(e));
      r.timed.insert(r.timed.end(), e.timed.begin(), e.timed.end());
      if (e.check == kCheckPassed && !e.rates.empty() && (!best || median(e.rates) > median(best->rates))) best = &e;
    }
    if (best) {
      r.impl = best->library->lib->name();
      r.stats = summarize(best->rates);
      r.value = r.stats.median;
      r.params = {{"m", best->shape.m},           {"n", best->shape.n},
                  {"k", best->shape.k},           {"kernel", best->kernel},
                  {"library_version", best->library->lib->version()},
                  {"environment", best->library->environment},
                  {"threads", config.threads},    {"counting", "2*m*n*k per call"},
                  {"best_rep", r.stats.max}};
    } else {
      r.value = std::nan("");
      r.check = "failed: no library passed its check on any shape";
    }
    sink.result(r);
    results.push_back(std::move(r));
  }
  return results;
}

}  // namespace specgap::suites
