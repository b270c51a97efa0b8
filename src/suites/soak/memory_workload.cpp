#include <fmt/format.h>

#include "core/error.h"
#include "core/interrupt.h"
#include "suites/soak/workload.h"

namespace specgap::suites {
namespace {

// STREAM triad passes on any device, through the seam.
class TriadWorkload : public SoakWorkload {
 public:
  TriadWorkload(backends::Device& device, const SoakWorkloadConfig& c)
      : arrays_(device.stream_arrays({c.array_bytes, c.cpus, c.seed})),
        kernels_(arrays_->kernels(StreamOp::triad, {})) {
    if (kernels_.empty()) throw Error(fmt::format("{} offers no triad kernel", device.info().id));
    // The variant the soak runs is the one this device runs fastest now (non-temporal stores win on
    // some machines and thread counts and lose on others); each checked before it is tried.
    double best = 0;
    kernel_ = kernels_.front().get();  // check() will say why, when none passes
    for (auto& k : kernels_) {
      if (!k->check().empty()) continue;
      const double gbps = k->work() / double(k->run().ns);
      if (gbps > best) best = gbps, kernel_ = k.get();
    }
  }
  std::string name() const override { return "triad"; }
  std::string unit() const override { return "GB/s"; }
  std::string impl() const override {
    return fmt::format("{}, 3 x {} MiB", kernel_->impl(), arrays_->elements() * arrays_->element_bytes() >> 20);
  }
  std::string check() override { return kernel_->check(); }
  double run_for(double seconds, double& elapsed) override {
    int64_t ns = 0, passes = 0;
    while (ns < int64_t(seconds * 1e9)) {
      throw_if_interrupted();
      const auto rep = kernel_->run();
      if (!rep.failure.empty()) throw Error("soak triad went wrong while timed: " + rep.failure);
      ns += std::max<int64_t>(rep.ns, 1);
      ++passes;
    }
    elapsed = double(ns) * 1e-9;
    return double(passes) * kernel_->work() * 1e-9;
  }

 private:
  std::unique_ptr<backends::StreamArrays> arrays_;
  backends::Kernels kernels_;
  backends::Kernel* kernel_ = nullptr;
};

}  // namespace

std::unique_ptr<SoakWorkload> memory_workload(backends::Device& device, const SoakWorkloadConfig& c) {
  return std::make_unique<TriadWorkload>(device, c);
}

}  // namespace specgap::suites
