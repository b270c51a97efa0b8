#include <fmt/format.h>

#include "core/error.h"
#include "suites/soak/kernel_workload.h"

namespace specgap::suites {
namespace {

// "onednn 2.7.3 fp32 2048^3 (brg:avx512_core)": the library, and what it ran, where the kernel says.
std::string gemm_impl(const backends::Kernel& k, int n) {
  const auto about = k.about();
  const std::string library = about.value("library", k.impl()), version = about.value("library_version", "");
  const std::string ran = about.value("kernel", "");
  return fmt::format("{}{} fp32 {}^3{}", library, version.empty() ? "" : " " + version, n, ran.empty() ? "" : " (" + ran + ")");
}

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
  const std::string impl = gemm_impl(*chosen, n);
  return std::make_unique<KernelWorkload>("gemm", "GFLOP/s", impl, std::move(offer.kernels), chosen);
}

}  // namespace specgap::suites
