#pragma once
// The CPU's pointer chase (backends/device.h, LatencyRequest): one thread pinned to the request's CPU
// lays out the cycle (first-touching it there) and chases it, timed by the monotonic clock.
#include "backends/device.h"

namespace specgap::cpu {

backends::Offer latency_offer(const backends::LatencyRequest& r);

}  // namespace specgap::cpu
