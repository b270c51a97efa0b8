#pragma once
// A soak workload whose units are repetitions of one device kernel (the triad, a GEMM), checked
// through the kernel's own check and counted in its work: bytes or operations, reported in G-units.
#include <memory>
#include <string>

#include "backends/device.h"
#include "suites/soak/workload.h"

namespace specgap::suites {

class KernelWorkload : public SoakWorkload {
 public:
  // `chosen` is one of `kernels`; `arrays`, when given, is what the kernels run over (kept alive
  // until they are gone).
  KernelWorkload(std::string name, std::string unit, std::string impl, backends::Kernels kernels,
                 backends::Kernel* chosen, std::unique_ptr<backends::StreamArrays> arrays = nullptr);
  std::string name() const override { return name_; }
  std::string unit() const override { return unit_; }
  std::string impl() const override { return impl_; }
  std::string check() override { return kernel_->check(); }
  double run_for(double seconds, double& elapsed) override;

 private:
  std::string name_, unit_, impl_;
  std::unique_ptr<backends::StreamArrays> arrays_;  // declared before the kernels: they go first
  backends::Kernels kernels_;
  backends::Kernel* kernel_;
};

}  // namespace specgap::suites
