#pragma once
// The line a start prints for a run that never finished: the general one, or for a soak what its
// last minute of telemetry shows, and whether the machine rebooted or only the process died.
#include <string>

#include "store/store.h"

namespace specgap::cli {

std::string describe_interrupted(Store& store, const InterruptedRun& run);

}  // namespace specgap::cli
