#include "backends/cpu/cpu_gemm.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "backends/cpu/gemm_worker.h"
#include "core/clock.h"
#include "core/error.h"

namespace specgap::cpu {
namespace {

// A shape whose single call lasts this long (8192^3 in fp64 takes seconds on a few cores) gets at
// most kLongCallReps repetitions: each is already long enough to average out short noise.
constexpr double kLongCallSeconds = 1.0;
constexpr int kLongCallReps = 3;

// "OPENBLAS_CORETYPE=Haswell" when the environment caps OpenBLAS, else "".
std::string openblas_cap() {
  const char* value = std::getenv(kOpenblasCap);
  return value ? fmt::format("{}={}", kOpenblasCap, value) : "";
}

class GemmKernel final : public backends::Kernel {
 public:
  GemmKernel(const PlacedGemmLibrary& lib, const backends::GemmRequest& r) : lib_(lib), r_(r) {}
  std::string impl() const override { return lib_.library->name(); }
  nlohmann::json about() const override {
    const std::string name = lib_.library->name();
    return {{"library", name.substr(0, name.find('@'))}, {"library_version", lib_.library->version()}, {"kernel", kernel_},
            {"environment", lib_.environment}, {"m", r_.m}, {"n", r_.n}, {"k", r_.k}, {"calls_per_rep", calls_},
            {"reps", reps_}, {"threads", r_.threads}};
  }
  double work() const override { return 2.0 * double(r_.m) * double(r_.n) * double(r_.k) * calls_; }
  // Prepares the matrices, then checks a call. The checked call is also the warm-up and, timed, sizes
  // the repetitions (it overstates a call's time a little: the check and any first-call set-up are in it).
  std::string check() override {
    try {
      instance_ = lib_.library->prepare(r_.dtype, {r_.m, r_.n, r_.k}, r_.threads, r_.seed);
      kernel_ = instance_->kernel();
      const int64_t start = monotonic_ns();
      const std::string err = instance_->run_and_check(r_.check_samples);
      const double seconds = std::max(1e-9, double(monotonic_ns() - start) * 1e-9);
      calls_ = std::max(1, static_cast<int>(std::ceil(r_.rep_seconds / seconds)));
      long_calls_ = seconds >= kLongCallSeconds;
      if (!err.empty()) instance_.reset();
      return err;
    } catch (const Interrupted&) {
      throw;
    } catch (const Error& e) {
      instance_.reset();
      return e.what();
    }
  }
  int max_reps() const override { return long_calls_ ? kLongCallReps : 1 << 30; }
  // A call of over a second needs no warm-up call: the spin-down of the last library's pool is a few
  // percent of one repetition.
  void warm_up() override {
    if (!long_calls_) guarded([&] { instance_->time_calls(1); });
  }
  backends::Repetition run() override {
    backends::Repetition r;
    if (!failure_.empty()) return {0, nullptr, failure_};
    guarded([&] { r.ns = instance_->time_calls(calls_); });
    r.failure = failure_;
    ++reps_;
    return r;
  }

 private:
  // A library in a child process can die mid-run: that fails this kernel's figure, not the run.
  template <class F>
  void guarded(F&& f) {
    try {
      f();
    } catch (const Interrupted&) {
      throw;
    } catch (const Error& e) {
      failure_ = e.what();
      instance_.reset();
    }
  }

  const PlacedGemmLibrary& lib_;
  backends::GemmRequest r_;
  std::unique_ptr<GemmInstance> instance_;
  std::string kernel_, failure_;
  int calls_ = 1, reps_ = 0;
  bool long_calls_ = false;
};

}  // namespace

std::vector<PlacedGemmLibrary*> GemmLibraries::open(const std::string& helper_exe, std::vector<std::string>& notes) {
  if (!opened_) {
    opened_ = true;
    const std::string cap = openblas_cap();
    for (auto& lib : gemm_libraries()) {
      const std::string name = lib->name();
      const bool capped = name == "openblas" && !cap.empty();
      libraries_.push_back({std::move(lib), capped ? "in process, " + cap : "in process"});
      // A library capped by the environment also runs uncapped, in a child, so a cap never sets the figure.
      if (capped && !helper_exe.empty()) {
        try {
          libraries_.push_back({child_gemm_library(helper_exe, name, {kOpenblasCap}), "child process without " + cap});
        } catch (const Error& e) {
          notes.push_back(fmt::format("{} uncapped: {}", name, e.what()));
        }
      }
    }
  }
  std::vector<PlacedGemmLibrary*> out;
  for (auto& l : libraries_) out.push_back(&l);
  return out;
}

backends::Offer gemm_offer(const backends::GemmRequest& r, GemmLibraries& libraries) {
  backends::Offer offer;
  std::string reasons;
  for (auto* lib : libraries.open(r.helper_exe, offer.notes)) {
    const std::string name = lib->library->name(), base = name.substr(0, name.find('@'));
    if (!r.only.empty() && std::find(r.only.begin(), r.only.end(), base) == r.only.end()) continue;
    if (auto why = lib->library->unsupported(r.dtype)) {
      reasons += (reasons.empty() ? "" : "; ") + lib->library->name() + ": " + *why;
      continue;
    }
    offer.kernels.push_back(std::make_unique<GemmKernel>(*lib, r));
  }
  if (offer.kernels.empty())
    offer.unsupported = "unsupported: " + (reasons.empty() ? std::string("no GEMM library selected") : reasons);
  return offer;
}

}  // namespace specgap::cpu
