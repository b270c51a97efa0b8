#pragma once
// GEMM on a device with its own GEMM kernels, through the seam (backends/device.h): each kernel the
// device offers is checked, then timed on the device's timer (harness/measure.h); a dtype the device
// cannot run is a result that says why, with no figure. (The CPU's GEMM sweep over its libraries is
// suites/compute/gemm.h; peak arithmetic on every device is suites/compute/peak.h.)
#include <vector>

#include "backends/device.h"
#include "core/dtype.h"
#include "core/result.h"
#include "core/sink.h"

namespace specgap::suites {

struct DeviceComputeConfig {
  std::vector<Dtype> dtypes;  // empty: fp64 fp32 fp16 bf16 fp8 int8
  int reps = 10;
  std::vector<backends::GemmRequest> shapes;  // dtype ignored: each shape runs for every dtype
  double gemm_rep_seconds = 0.2;
};

// Square 1024, 2048, 4096 and 8192 (mamf-finder's start), as far as the device's buffers allow.
std::vector<backends::GemmRequest> default_device_gemm_shapes(const backends::DeviceInfo& d);

// One result per dtype: the best (kernel, shape) by median; every shape stays in `variants`.
std::vector<Result> measure_device_gemm(backends::Device& device, const DeviceComputeConfig& c, RunSink& sink);

}  // namespace specgap::suites
