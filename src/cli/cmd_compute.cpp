// specgap compute: peak FLOP/s per dtype, held against this machine's theoretical peak, and the
// achievable GEMM rate of the best library on the best shape.
#include "cli/cmd_compute.h"

#include <fmt/format.h>

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <climits>

#include "backends/cpu/gemm.h"
#include "backends/cpu/peak_kernels.h"
#include "cli/app.h"
#include "cli/session.h"
#include "core/error.h"
#include "suites/memory/plan.h"

namespace specgap::cli {
namespace {
constexpr const char* kComputeDtypes = "fp64 fp32 bf16 fp16 int8";
constexpr const char* kDeviceDtypes = "fp64 fp32 fp16 bf16 fp8 int8";

std::vector<Dtype> dtypes_flag(const std::vector<std::string>& names, const char* allowed, const char* whose) {
  std::vector<Dtype> out;
  for (auto& n : names) {
    const auto d = parse_dtype(n);
    if (!d || std::string(allowed).find(n) == std::string::npos)
      throw UsageError(fmt::format("--dtype {}: not a {} compute dtype ({})", n, whose, allowed));
    out.push_back(*d);
  }
  return out;
}

bool cpu_chosen(const std::vector<std::string>& devices) {
  for (auto& d : devices)
    if (d == "cpu" || d == "all") return true;
  return devices.empty();
}

// The running binary, so the GEMM suite can start it again as a worker.
std::string own_executable() {
  char path[PATH_MAX];
  const ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
  return n > 0 ? std::string(path, size_t(n)) : "";
}

void check_impls(const std::vector<std::string>& impls) {
  const auto kernels = cpu::peak_kernels();
  for (auto& i : impls)
    if (std::none_of(kernels.begin(), kernels.end(), [&](auto& k) { return k.impl == i; }))
      throw UsageError("--impl " + i + ": no such peak kernel on this CPU (see the impl column)");
}
}  // namespace

std::optional<suites::GemmShape> parse_gemm_shape(const std::string& text) {
  std::vector<int64_t> dims;
  size_t start = 0;
  while (true) {
    const size_t x = text.find('x', start);
    const std::string part = text.substr(start, x == std::string::npos ? std::string::npos : x - start);
    int64_t v = 0;
    const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), v);
    if (part.empty() || ec != std::errc() || end != part.data() + part.size() || v <= 0 || v > 1'000'000)
      return std::nullopt;
    dims.push_back(v);
    if (x == std::string::npos) break;
    start = x + 1;
  }
  if (dims.size() == 1) return suites::GemmShape{int(dims[0]), int(dims[0]), int(dims[0])};
  if (dims.size() == 3) return suites::GemmShape{int(dims[0]), int(dims[1]), int(dims[2])};
  return std::nullopt;
}

ComputePlan plan_compute(const ComputeOptions& o, const Machine& m) {
  if (o.peak_only && o.gemm_only) throw UsageError("--peak and --gemm exclude each other (neither: both)");
  const int threads = o.threads > 0 ? o.threads : std::max(1, int(m.cpu.core_pus.size()));
  const auto cpus = suites::pick_cpus(m.cpu, threads);
  const bool cpu = cpu_chosen(o.devices);
  const auto dtypes = cpu ? dtypes_flag(o.dtypes, kComputeDtypes, "CPU") : dtypes_flag(o.dtypes, kDeviceDtypes, "GPU");
  ComputePlan plan;
  if (!o.gemm_only) {
    suites::PeakConfig peak;
    peak.dtypes = dtypes;
    if (o.reps > 0) peak.reps = o.reps;
    plan.peak = peak;
  }
  if (!o.peak_only) {
    suites::GemmConfig gemm;
    gemm.dtypes = dtypes;
    if (o.reps > 0) gemm.reps = o.reps;
    for (auto& text : o.shapes) {
      const auto shape = parse_gemm_shape(text);
      if (!shape) throw UsageError("--shape " + text + ": not a shape (examples: 4096, 512x4096x14336 for m x n x k)");
      gemm.shapes.push_back(*shape);
    }
    plan.gemm = gemm;
  } else if (!o.shapes.empty() || !o.libraries.empty()) {
    throw UsageError("--shape and --library are for the GEMM part; --peak leaves it out");
  }
  if (!cpu) {
    if (!o.impls.empty() || !o.libraries.empty())
      throw UsageError("--impl and --library name CPU kernels and libraries; give --device cpu");
    return plan;
  }
  if (!o.gemm_only) {
    check_impls(o.impls);
    plan.peak->cpus = cpus;
    plan.peak->cores = suites::physical_cores(m.cpu, cpus);
    plan.peak->impls = o.impls;
  } else if (!o.impls.empty()) {
    throw UsageError("--impl names peak kernels; with --gemm use --library");
  }
  if (plan.gemm) {
    auto& gemm = *plan.gemm;
    gemm.threads = threads;
    const auto libraries = cpu::gemm_libraries();
    for (auto& name : o.libraries)
      if (std::none_of(libraries.begin(), libraries.end(), [&](auto& l) { return l->name() == name; }))
        throw UsageError("--library " + name + ": not a GEMM library here (onednn, onednn-packed, openblas)");
    gemm.libraries = o.libraries;
    gemm.worker_exe = own_executable();
    // Three matrices of the largest shape, in the widest type, for each library alive at once.
    uint64_t largest = 0;
    for (auto& s : gemm.shapes.empty() ? suites::default_gemm_shapes() : gemm.shapes)
      largest = std::max<uint64_t>(largest, (uint64_t(s.m) * s.k + uint64_t(s.k) * s.n + uint64_t(s.m) * s.n) * 8);
    suites::check_fits_in_memory(m, largest, 3, "--shape");
  }
  return plan;
}

void measure_compute(const ComputePlan& plan, const std::vector<backends::Device*>& devices, RunSink& sink) {
  for_each_device(devices, "compute", sink, [&](backends::Device& device) {
    if (plan.peak) suites::measure_peak(device, *plan.peak, sink);
    if (plan.gemm) suites::measure_gemm(device, *plan.gemm, sink);
  });
}

Command add_compute_command(CLI::App& app, GlobalOptions& g) {
  auto o = std::make_shared<ComputeOptions>();
  auto* sub = app.add_subcommand("compute", "peak FLOP/s per precision, against this machine's theoretical peak");
  sub->add_option("--threads,-t", o->threads, "pinned threads, one per core (default: all physical cores)")
      ->check(CLI::Range(1, 4096));
  sub->add_option("--dtype", o->dtypes, fmt::format("only these dtypes: {} (default: all)", kComputeDtypes))
      ->delimiter(',');
  sub->add_option("--impl", o->impls, "only these kernels, e.g. avx512-fma (see the impl column)")->delimiter(',');
  sub->add_option("--reps", o->reps, "timed repetitions per kernel and shape (default: 10 peak, 5 GEMM)")
      ->check(CLI::Range(1, 1000));
  sub->add_flag("--peak", o->peak_only, "only the peak kernels");
  sub->add_flag("--gemm", o->gemm_only, "only the GEMM sweep");
  sub->add_option("--shape", o->shapes, "GEMM shapes: 4096 (square) or MxNxK, e.g. 512x4096x14336 (default: "
                                        "1024..8192 square and Llama-3-8B prefill layers)")
      ->delimiter(',');
  sub->add_option("--library", o->libraries, "only these GEMM libraries: onednn, onednn-packed (B in oneDNN's own layout), openblas")->delimiter(',');
  sub->add_option("--device", o->devices, "cpu (default), gpu0, ..., a list, or all (every real device)")
      ->delimiter(',');
  return {sub, [o, &g] {
            const Machine m = probe_machine();
            const ComputePlan plan = plan_compute(*o, m);
            const ChosenDevices devices = choose_devices(m, o->devices);
            Session session(g, m, devices_json(devices));
            return session.run([&](RunSink& sink) { measure_compute(plan, devices.chosen, sink); });
          }};
}

}  // namespace specgap::cli
