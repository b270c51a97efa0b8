#pragma once
// NVIDIA GPUs through NVML, loaded at run time so that specgap builds and runs without a driver.
#include <string>
#include <vector>

#include "probe/machine.h"

namespace specgap {

struct GpuList {
  std::vector<GpuInfo> gpus;
  std::string note;  // one line when the list is empty or incomplete; empty when all went well
};

// Opens `library` with dlopen and lists its GPUs. Never throws: an absent library, a missing
// symbol or a failed nvmlInit_v2 come back as an empty list with the reason in `note`.
GpuList list_nvidia_gpus(const std::string& library = "libnvidia-ml.so.1");

}  // namespace specgap
