#include "backends/cpu/cpu_latency.h"

#include <algorithm>

#include "backends/cpu/buffer.h"
#include "backends/cpu/pointer_chase.h"
#include "backends/cpu/thread_team.h"
#include "core/clock.h"

namespace specgap::cpu {
namespace {
constexpr size_t kMaxWarmLoads = size_t(1) << 22;  // the warming lap: the whole cycle, up to 4M loads
constexpr size_t kProbeLoads = size_t(1) << 14;    // the short chase that sizes the repetitions

class ChaseKernel final : public backends::Kernel {
 public:
  // The team pins the calling thread before the chase is laid out, so its pages are first touched
  // on the CPU that chases them; the harness calls check() and run() from that same thread.
  explicit ChaseKernel(const backends::LatencyRequest& r)
      : team_(r.cpu >= 0 ? std::vector<int>{r.cpu} : std::vector<int>{}),
        chase_(r.working_set_bytes, r.seed),
        rep_ns_(r.rep_seconds * 1e9) {}
  std::string impl() const override { return "pointer-chase-random"; }
  nlohmann::json about() const override {
    return {{"stride_bytes", kChaseStride}, {"pages", "thp:" + transparent_hugepage_mode()}};
  }
  double work() const override { return double(loads_); }

  // Warms the caches with (up to) one lap, then times a short chase to size the repetitions.
  std::string check() override {
    chase_.chase(std::min(chase_.nodes(), kMaxWarmLoads));
    const int64_t t0 = monotonic_ns();
    const void* end = chase_.chase(kProbeLoads);
    const double ns_per_load = double(std::max<int64_t>(1, monotonic_ns() - t0)) / kProbeLoads;
    if (end != chase_.expected_after(kProbeLoads)) return "the chase left its cycle";
    loads_ = std::max<size_t>(kProbeLoads, size_t(rep_ns_ / ns_per_load));
    return "";
  }

  backends::Repetition run() override {
    const int64_t t0 = monotonic_ns();
    const void* end = chase_.chase(loads_);
    backends::Repetition r{monotonic_ns() - t0};
    if (end != chase_.expected_after(loads_)) r.failure = "the chase left its cycle";
    return r;
  }

 private:
  ThreadTeam team_;  // first: pinned before the chase is laid out, unpinned after it is freed
  PointerChase chase_;
  double rep_ns_;
  size_t loads_ = kProbeLoads;  // per repetition, sized by check()
};
}  // namespace

backends::Offer latency_offer(const backends::LatencyRequest& r) {
  backends::Offer offer;
  offer.kernels.push_back(std::make_unique<ChaseKernel>(r));
  return offer;
}

}  // namespace specgap::cpu
