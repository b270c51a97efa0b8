#include <fmt/format.h>

#include "core/error.h"
#include "core/interrupt.h"
#include "suites/soak/workload.h"

namespace specgap::suites {
namespace {

// A device's fp32 GEMM kernel, through the seam.
class GemmWorkload : public SoakWorkload {
 public:
  GemmWorkload(backends::Kernels kernels, backends::Kernel* kernel, int64_t n)
      : kernels_(std::move(kernels)), kernel_(kernel), n_(n) {}
  std::string name() const override { return "gemm"; }
  std::string unit() const override { return "GFLOP/s"; }
  // "onednn 2.7.3 fp32 2048^3 (brg:avx512_core)": the library, and what it ran, where the kernel says.
  std::string impl() const override {
    const auto about = kernel_->about();
    const std::string library = about.value("library", kernel_->impl()), version = about.value("library_version", "");
    const std::string ran = about.value("kernel", "");
    return fmt::format("{}{} fp32 {}^3{}", library, version.empty() ? "" : " " + version, n_,
                       ran.empty() ? "" : " (" + ran + ")");
  }
  std::string check() override { return kernel_->check(); }
  double run_for(double seconds, double& elapsed) override {
    int64_t ns = 0;
    double flops = 0;
    while (ns < int64_t(seconds * 1e9)) {
      throw_if_interrupted();
      const auto rep = kernel_->run();
      if (!rep.failure.empty()) throw Error("soak gemm went wrong while timed: " + rep.failure);
      ns += std::max<int64_t>(rep.ns, 1);
      flops += kernel_->work();
    }
    elapsed = double(ns) * 1e-9;
    return flops * 1e-9;
  }

 private:
  backends::Kernels kernels_;
  backends::Kernel* kernel_;
  int64_t n_;
};

}  // namespace

std::unique_ptr<SoakWorkload> gemm_workload(backends::Device& device, const SoakWorkloadConfig& c) {
  const int n = int(c.gemm_size);
  backends::GemmRequest request;
  request.dtype = Dtype::fp32;
  request.m = request.n = request.k = n;
  request.seed = c.seed;
  request.threads = std::max(1, int(c.cpus.size()));
  // One call, the check, runs now, while this thread is unpinned: a CPU library's pool is made at its
  // first call and inherits the caller's affinity, and a mixed soak pins this thread for the memory
  // workload next.
  auto offer = device.gemm(request);
  if (offer.kernels.empty())
    throw Error(fmt::format("soak --workload gemm: no fp32 GEMM on {} ({})", device.info().id, offer.unsupported));
  // The first kernel whose check passes; the first of all when none does (check() will say why).
  backends::Kernel* chosen = offer.kernels.front().get();
  for (auto& k : offer.kernels)
    if (k->check().empty()) {
      chosen = k.get();
      break;
    }
  return std::make_unique<GemmWorkload>(std::move(offer.kernels), chosen, n);
}

}  // namespace specgap::suites
