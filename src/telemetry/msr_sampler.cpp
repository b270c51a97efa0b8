// Core clocks from APERF/MPERF through /dev/cpu/N/msr (the msr module, root), as turbostat reads them,
// where cpufreq is missing or does not show turbo: a core's busy clock is the TSC rate x dAPERF /
// dMPERF between two reads, the TSC rate itself measured over the same span with rdtsc.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <optional>

#include <fmt/format.h>

#include "core/clock.h"
#include "telemetry/sampler.h"

#if defined(__x86_64__)
#include <x86intrin.h>
#endif

namespace specgap::telemetry {
namespace {

#if defined(__x86_64__)
constexpr off_t kMperf = 0xE7, kAperf = 0xE8;  // IA32_MPERF, IA32_APERF (Intel SDM vol. 4; AMD the same)

std::optional<uint64_t> read_msr(int fd, off_t reg) {
  uint64_t v = 0;
  if (pread(fd, &v, sizeof v, reg) != sizeof v) return std::nullopt;
  return v;
}

class MsrSampler : public Sampler {
 public:
  explicit MsrSampler(std::vector<int> fds) : fds_(std::move(fds)), last_(fds_.size()) {}
  ~MsrSampler() override {
    for (int fd : fds_) ::close(fd);
  }
  std::string name() const override { return "aperf-mperf"; }
  void read(Readings& out) override {
    const uint64_t tsc = __rdtsc();
    const int64_t ns = monotonic_ns();
    double lo = 1e300, hi = 0, sum = 0;
    int n = 0;
    for (size_t i = 0; i < fds_.size(); ++i) {
      const auto a = read_msr(fds_[i], kAperf), m = read_msr(fds_[i], kMperf);
      if (!a || !m) continue;
      if (last_[i].valid && ns > last_ns_ && *m > last_[i].mperf && tsc > last_tsc_) {
        const double tsc_mhz = double(tsc - last_tsc_) / double(ns - last_ns_) * 1e3;
        const double mhz = tsc_mhz * double(*a - last_[i].aperf) / double(*m - last_[i].mperf);
        lo = std::min(lo, mhz), hi = std::max(hi, mhz), sum += mhz, ++n;
      }
      last_[i] = {*a, *m, true};
    }
    last_tsc_ = tsc;
    last_ns_ = ns;
    if (n == 0) return;
    out["cpu.busy_min_mhz"] = lo;
    out["cpu.busy_mean_mhz"] = sum / n;
    out["cpu.busy_max_mhz"] = hi;
  }

 private:
  struct Last {
    uint64_t aperf = 0, mperf = 0;
    bool valid = false;
  };
  std::vector<int> fds_;
  std::vector<Last> last_;
  uint64_t last_tsc_ = 0;
  int64_t last_ns_ = 0;
};
#endif

}  // namespace

SamplerSet msr_samplers(const std::string& root) {
  SamplerSet set;
  const std::string first = (std::filesystem::path(root) / "dev/cpu/0/msr").string();
#if defined(__x86_64__)
  std::vector<int> fds;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(std::filesystem::path(root) / "dev/cpu", ec), end; !ec && it != end;
       it.increment(ec)) {
    const int fd = ::open((it->path() / "msr").c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    if (read_msr(fd, kAperf)) fds.push_back(fd);
    else ::close(fd);  // a VM may expose the node but refuse these registers
  }
  if (!fds.empty()) {
    set.samplers.push_back(std::make_unique<MsrSampler>(std::move(fds)));
    return set;
  }
#endif
  set.unavailable.push_back(fmt::format("APERF/MPERF: {} not readable (needs the msr module and root)", first));
  return set;
}

}  // namespace specgap::telemetry
