#pragma once
// The CPU as a device of the seam (backends/device.h): its STREAM kernels over first-touched arrays
// on a team of pinned threads, timed with the monotonic clock around the parallel region.
#include <memory>

#include "backends/device.h"
#include "probe/machine.h"

namespace specgap::cpu {

std::unique_ptr<backends::Device> make_cpu_device(const Machine& m);

}  // namespace specgap::cpu
