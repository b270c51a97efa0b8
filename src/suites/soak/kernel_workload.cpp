#include "suites/soak/kernel_workload.h"

#include <algorithm>

#include "core/error.h"
#include "core/interrupt.h"

namespace specgap::suites {

KernelWorkload::KernelWorkload(std::string name, std::string unit, std::string impl, backends::Kernels kernels,
                               backends::Kernel* chosen, std::unique_ptr<backends::StreamArrays> arrays)
    : name_(std::move(name)), unit_(std::move(unit)), impl_(std::move(impl)), arrays_(std::move(arrays)),
      kernels_(std::move(kernels)), kernel_(chosen) {}

double KernelWorkload::run_for(double seconds, double& elapsed) {
  int64_t ns = 0;
  double work = 0;
  while (ns < int64_t(seconds * 1e9)) {
    throw_if_interrupted();
    const auto rep = kernel_->run();
    if (!rep.failure.empty()) throw Error("soak " + name_ + " went wrong while timed: " + rep.failure);
    ns += std::max<int64_t>(rep.ns, 1);
    work += kernel_->work();
  }
  elapsed = double(ns) * 1e-9;
  return work * 1e-9;
}

}  // namespace specgap::suites
