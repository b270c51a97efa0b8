#pragma once
// The soak command's options and the plan they make; audit runs a short soak through the same.
#include <string>

#include "backends/device.h"
#include "probe/machine.h"
#include "suites/soak/soak.h"

namespace specgap::cli {

struct SoakOptions {
  std::string workload = "gemm";
  double minutes = 2;
  double interval = 10;  // seconds
  int threads = 0;       // 0: one per physical core
  std::string size;      // memory workload: bytes per array
  std::string device = "cpu";  // the one device the soak loads
};

// Every value is checked here, before a store is opened: a bad flag records no run (UsageError).
suites::SoakConfig plan_soak(const SoakOptions& o, const Machine& m);

// The plan for a device with memory of its own: its arrays sized by its limits (--size checked
// against them), the rest as planned for the CPU.
suites::SoakConfig plan_device_soak(suites::SoakConfig c, const SoakOptions& o, const backends::DeviceInfo& d);

}  // namespace specgap::cli
