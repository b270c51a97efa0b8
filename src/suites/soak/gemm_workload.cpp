#include <fmt/format.h>

#include "backends/cpu/gemm.h"
#include "core/error.h"
#include "core/interrupt.h"
#include "suites/soak/workload.h"

namespace specgap::suites {
namespace {

class GemmWorkload : public SoakWorkload {
 public:
  GemmWorkload(const cpu::GemmLibrary& lib, std::unique_ptr<cpu::GemmInstance> gemm, int64_t n)
      : gemm_(std::move(gemm)), flops_(2.0 * n * n * n),
        impl_(fmt::format("{} {} fp32 {}^3", lib.name(), lib.version(), n)) {}
  std::string name() const override { return "gemm"; }
  std::string unit() const override { return "GFLOP/s"; }
  std::string impl() const override { return impl_ + " (" + gemm_->kernel() + ")"; }
  std::string check() override { return gemm_->run_and_check(64); }
  double run_for(double seconds, double& elapsed) override {
    int64_t ns = 0, calls = 0;
    while (ns < int64_t(seconds * 1e9)) {
      throw_if_interrupted();
      ns += gemm_->time_calls(1);
      ++calls;
    }
    elapsed = double(ns) * 1e-9;
    return double(calls) * flops_ * 1e-9;
  }

 private:
  std::unique_ptr<cpu::GemmInstance> gemm_;
  double flops_;
  std::string impl_;
};

// A device's GEMM kernel, through the seam.
class DeviceGemmWorkload : public SoakWorkload {
 public:
  DeviceGemmWorkload(backends::Kernels kernels, backends::Kernel* kernel)
      : kernels_(std::move(kernels)), kernel_(kernel) {}
  std::string name() const override { return "gemm"; }
  std::string unit() const override { return "GFLOP/s"; }
  std::string impl() const override { return kernel_->impl(); }
  std::string check() override { return kernel_->check(); }
  double run_for(double seconds, double& elapsed) override {
    int64_t ns = 0;
    double flops = 0;
    while (ns < int64_t(seconds * 1e9)) {
      throw_if_interrupted();
      ns += kernel_->run().ns;
      flops += kernel_->work();
    }
    elapsed = double(ns) * 1e-9;
    return flops * 1e-9;
  }

 private:
  backends::Kernels kernels_;
  backends::Kernel* kernel_;
};

}  // namespace

std::unique_ptr<SoakWorkload> device_gemm_workload(backends::Device& device, const SoakWorkloadConfig& c) {
  const int n = int(c.gemm_size);
  backends::GemmRequest request;
  request.dtype = Dtype::fp32;
  request.m = request.n = request.k = n;
  request.seed = c.seed;
  auto offer = device.gemm(request);
  if (offer.kernels.empty())
    throw Error(fmt::format("soak --workload gemm on {}: {}", device.info().id, offer.unsupported));
  // The first kernel whose check passes; the first of all when none does (check() will say why).
  backends::Kernel* chosen = offer.kernels.front().get();
  for (auto& k : offer.kernels)
    if (k->check().empty()) {
      chosen = k.get();
      break;
    }
  return std::make_unique<DeviceGemmWorkload>(std::move(offer.kernels), chosen);
}

std::unique_ptr<SoakWorkload> gemm_workload(const SoakWorkloadConfig& c) {
  std::string why = "no GEMM library built in";
  for (auto& lib : cpu::gemm_libraries()) {
    if (auto no = lib->unsupported(Dtype::fp32)) {
      why = lib->name() + ": " + *no;
      continue;
    }
    auto gemm = lib->prepare(Dtype::fp32, {c.gemm_size, c.gemm_size, c.gemm_size}, int(c.cpus.size()), c.seed);
    // One call now, while this thread is unpinned: the library's pool is made at its first call and
    // inherits the caller's affinity, and a mixed soak pins this thread for the memory workload next.
    gemm->run();
    return std::make_unique<GemmWorkload>(*lib, std::move(gemm), c.gemm_size);
  }
  throw Error("soak --workload gemm: no library runs fp32 GEMM here (" + why + ")");
}

}  // namespace specgap::suites
