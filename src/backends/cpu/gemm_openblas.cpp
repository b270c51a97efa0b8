// OpenBLAS's dgemm and sgemm: the BLAS most users' numpy and R run. Debian's build (DYNAMIC_ARCH)
// picks its kernels for the CPU when the library loads, unless OPENBLAS_CORETYPE names a core;
// kernel() names the core whose kernels ran.
#include <cblas.h>
#include <fmt/format.h>

#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include "backends/cpu/gemm.h"
#include "backends/cpu/gemm_check.h"
#include "core/error.h"

namespace specgap::cpu {
namespace {

// C = A * B, row-major, alpha 1 and beta 0. Sides fit BLAS's int (GemmOperands checks).
void dgemm(const GemmOperands& x) {
  const auto [m, n, k] = x.shape();
  cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, int(m), int(n), int(k), 1.0, static_cast<double*>(x.a()),
              int(k), static_cast<double*>(x.b()), int(n), 0.0, static_cast<double*>(x.c()), int(n));
}
void sgemm(const GemmOperands& x) {
  const auto [m, n, k] = x.shape();
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, int(m), int(n), int(k), 1.0f, static_cast<float*>(x.a()),
              int(k), static_cast<float*>(x.b()), int(n), 0.0f, static_cast<float*>(x.c()), int(n));
}

struct Routine {
  Dtype dtype;
  void (*gemm)(const GemmOperands&);
};
constexpr Routine kRoutines[] = {{Dtype::fp64, dgemm}, {Dtype::fp32, sgemm}};

const Routine* routine_of(Dtype d) {
  for (const auto& r : kRoutines)
    if (r.dtype == d) return &r;
  return nullptr;
}

std::string missing_reason(Dtype d) {
  // cblas.h declares cblas_sbgemm whatever the build; the library has it only when built with
  // BUILD_BFLOAT16, which Debian's is not (the symbol is absent: it would not link).
  if (d == Dtype::bf16) return "Debian's OpenBLAS is built without BUILD_BFLOAT16, so it has no cblas_sbgemm";
  return fmt::format("OpenBLAS has no {} GEMM", to_string(d));
}

class OpenblasGemm final : public GemmInstance {
 public:
  OpenblasGemm(const Routine& r, GemmShape s, int threads, uint64_t seed)
      : operands_(r.dtype, s, seed), routine_(r), threads_(threads), seed_(seed) {
    // Starts the pool's threads now, not in the first timed run.
    openblas_set_num_threads(threads_);
    if (openblas_get_num_threads() != threads_)
      throw Error(fmt::format("OpenBLAS runs at most {} threads here; asked for {}", openblas_get_num_threads(),
                              threads_));
  }

  void run() override {
    // The thread count is global to the library: another instance may have changed it since.
    openblas_set_num_threads(threads_);
    routine_.gemm(operands_);
  }

  std::string run_and_check(int samples) override {
    operands_.poison_c();
    run();
    return gemm_check(operands_.view(), gemm_sample_entries(operands_.shape(), samples, seed_));
  }

  std::string kernel() const override { return openblas_get_corename(); }

 private:
  GemmOperands operands_;
  const Routine& routine_;
  int threads_;
  uint64_t seed_;
};

class Openblas final : public GemmLibrary {
 public:
  std::string name() const override { return "openblas"; }

  // The library loaded, not the header compiled against: "OpenBLAS 0.3.21 DYNAMIC_ARCH ..." -> "0.3.21".
  std::string version() const override {
    std::istringstream config(openblas_get_config());
    std::string product, version;
    config >> product >> version;
    return version.empty() ? "unknown" : version;
  }

  std::optional<std::string> unsupported(Dtype d) const override {
    if (routine_of(d)) return std::nullopt;
    return missing_reason(d);
  }

  std::unique_ptr<GemmInstance> prepare(Dtype d, GemmShape s, int threads, uint64_t seed) const override {
    const Routine* r = routine_of(d);
    if (!r) throw Error(fmt::format("openblas cannot run {}: {}", to_string(d), missing_reason(d)));
    if (threads < 1) throw Error(fmt::format("openblas: {} threads; need at least 1", threads));
    return std::make_unique<OpenblasGemm>(*r, s, threads, seed);
  }
};

}  // namespace

std::unique_ptr<GemmLibrary> openblas_library() { return std::make_unique<Openblas>(); }

}  // namespace specgap::cpu
