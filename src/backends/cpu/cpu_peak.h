#pragma once
// The CPU's peak-rate kernels as kernels of the seam (backends/device.h): every thread of a pinned
// team runs the register-resident loop of one kernel (peak_kernels.h), checking each call's output in
// closed form, and the core clock is measured on every thread around each repetition, so the
// theoretical peak the figure is held against is cores x the clock this load really ran at x the ops
// per cycle of the core's table row (probe/peak_rates.h).
#include <memory>
#include <string>

#include "backends/device.h"

namespace specgap::cpu {

// A team pinned to a request's CPUs and kept busy for a second before its first kernel is sized.
struct PeakTeam;

// Every kernel of `r.dtype` this CPU runs, or none and why. The kernels run on the team in `shared`
// while one made for the same CPUs is alive (so a suite that holds every dtype's kernels warms up
// and pins once), else on a new one, left there for the next request. The team, and the pinning of
// the calling thread, end with the last kernel.
backends::Offer peak_offer(const backends::PeakRequest& r, const std::string& uarch_id,
                           std::weak_ptr<PeakTeam>& shared);

// The CPU's peak for a request at `ghz`: the widest path this core has for the dtype, whether or not
// its kernel was run. Null when the core has no row in the peak-rate table.
nlohmann::json cpu_theoretical_peak(const backends::PeakRequest& r, const std::string& uarch_id, double ghz);

}  // namespace specgap::cpu
