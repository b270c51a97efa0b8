#pragma once
// Host<->device and device-local copies on a device with memory of its own, counted as nvbandwidth
// counts them (bytes copied once; a bidirectional run counts both directions), each variant checked
// before it is timed (harness/measure.h).
#include <cstdint>
#include <vector>

#include "backends/device.h"
#include "core/result.h"
#include "core/sink.h"

namespace specgap::suites {

struct TransferConfig {
  uint64_t bytes = 0;  // per copy
  int reps = 10;
  std::vector<backends::Transfer> kinds;  // empty: h2d, d2h, d2d, bidir
};

// The transfer buffer unless --size says otherwise: nvbandwidth's 512 MiB, within the device's
// largest buffer and a quarter of its memory.
uint64_t default_transfer_bytes(const backends::DeviceInfo& d);

std::vector<Result> measure_transfers(backends::Device& device, const TransferConfig& config, RunSink& sink);

}  // namespace specgap::suites
