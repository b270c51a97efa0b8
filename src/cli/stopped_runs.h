#pragma once
// The line a start prints for a run that never finished: the general one, or for a soak what its
// last minute of telemetry shows, and whether the machine rebooted or only the process died.
#include <string>

#include "store/store.h"

namespace specgap::cli {

std::string describe_interrupted(Store& store, const InterruptedRun& run);

// For a run that did not complete and whose soak never wrote its results: the soak series rebuilt from
// the intervals it stored, so that `show` and the run's own last word show the timeline up to the stop.
void add_stopped_soak(RunRecord& run, Store& store);

}  // namespace specgap::cli
