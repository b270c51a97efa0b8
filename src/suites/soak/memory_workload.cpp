#include <fmt/format.h>

#include "core/error.h"
#include "suites/soak/kernel_workload.h"

namespace specgap::suites {

// STREAM triad passes on any device, through the seam.
std::unique_ptr<SoakWorkload> memory_workload(backends::Device& device, const SoakWorkloadConfig& c) {
  auto arrays = device.stream_arrays({c.array_bytes, c.cpus, c.seed});
  auto kernels = arrays->kernels(StreamOp::triad, {});
  if (kernels.empty()) throw Error(fmt::format("{} offers no triad kernel", device.info().id));
  // The variant the soak runs is the one this device runs fastest now (non-temporal stores win on
  // some machines and thread counts and lose on others); each checked before it is tried.
  double best = 0;
  backends::Kernel* chosen = kernels.front().get();  // check() will say why, when none passes
  for (auto& k : kernels) {
    if (!k->check().empty()) continue;
    const double gbps = k->work() / double(k->run().ns);
    if (gbps > best) best = gbps, chosen = k.get();
  }
  const std::string impl =
      fmt::format("{}, 3 x {} MiB", chosen->impl(), arrays->elements() * arrays->element_bytes() >> 20);
  return std::make_unique<KernelWorkload>("triad", "GB/s", impl, std::move(kernels), chosen, std::move(arrays));
}

}  // namespace specgap::suites
