#include "backends/cpu/cpu_peak.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <mutex>
#include <optional>

#include "backends/cpu/core_clock.h"
#include "backends/cpu/peak_check.h"
#include "backends/cpu/peak_kernels.h"
#include "backends/cpu/thread_team.h"
#include "core/clock.h"
#include "core/emulation.h"
#include "core/stats.h"
#include "probe/peak_rates.h"

namespace specgap::cpu {
namespace {

// Iterations per kernel call: about 2 ms of work per call at 4 GHz, and far below any closed form's
// exactness limit except fp16's (which then makes shorter calls).
constexpr uint64_t kIterationsPerCall = uint64_t{1} << 20;
// Under an emulator (QEMU running the Arm build's tests) a call of 2^20 iterations takes seconds, and
// its figure measures the emulator anyway: calls are shortened there, the closed form still checked.
constexpr uint64_t kEmulatedIterationsPerCall = uint64_t{1} << 12;

// The rate a kernel is held against: a matrix multiply-accumulate (SMMLA, BFMMLA: two operand groups
// per lane) does twice a dot product's work per instruction, so it has its own row (peak_rates.h).
// AMX tiles (16 groups) are told apart by their width there.
std::optional<PeakRate> kernel_rate(const std::string& uarch_id, const PeakKernelEntry& k) {
  const VectorOp op = k.groups_per_lane == 2 ? VectorOp::mmla : VectorOp::fma_or_dot;
  return peak_rate(uarch_id, k.dtype, k.vector_bits, op);
}

uint64_t iterations_per_call(const PeakKernelEntry& k) {
  const uint64_t most = user_mode_emulator().empty() ? kIterationsPerCall : kEmulatedIterationsPerCall;
  return std::min(most, peak_max_exact_iterations(k));
}
// Long enough to average over a hypervisor's time slices the way a repetition does, so that on a
// shared host the clock and the kernel see the same share of the core.
constexpr double kClockProbeSeconds = 0.01;
// Before anything is sized or timed, every thread stays busy this long. A shared host that saw this
// VM idle may first run its busy vCPUs on SMT siblings of one core, each at half the FMA rate, until
// its scheduler spreads them: here the first 0.3-1 s of every run went at half rate (median of 8 runs
// by repetition: 62, 57, 64, then 91-96 GFLOP/s; docs/measurements.md). likwid-bench's calibration
// likewise keeps the cores busy for seconds before its timed run.
constexpr double kWarmupSeconds = 1.0;
constexpr const char* kClockMethod =
    "cycles per second delivered to each thread: a dependent integer-add chain (1 cycle per add) timed on every "
    "thread for 10 ms before and after each rep";

struct alignas(64) MemberOutput {
  unsigned char bytes[kPeakMaxOutputBytes];
};

}  // namespace

struct PeakTeam {
  explicit PeakTeam(const std::vector<int>& cpus) : cpus_asked(cpus), team(cpus), out(team.size()) {
    team.run([&](size_t m) {
      if (m == 0) clock_blocks = add_chain_blocks_for(kClockProbeSeconds);
    });
    const auto warmup_blocks = static_cast<uint64_t>(double(clock_blocks) * kWarmupSeconds / kClockProbeSeconds);
    team.run([&](size_t) { measure_core_ghz(warmup_blocks); });
  }
  std::vector<int> cpus_asked;
  ThreadTeam team;
  std::vector<MemberOutput> out;
  uint64_t clock_blocks = 0;
};

namespace {

int cores_of(const backends::PeakRequest& r) {
  if (r.cores > 0) return r.cores;
  auto distinct = r.cpus;
  std::sort(distinct.begin(), distinct.end());
  return std::max(1, int(std::unique(distinct.begin(), distinct.end()) - distinct.begin()));
}

nlohmann::json rate_json(const std::optional<PeakRate>& rate) {
  if (!rate) return nullptr;
  return {{"ops_per_cycle_per_core", rate->ops_per_cycle}, {"basis", rate->basis}, {"source", rate->source},
          {"confidence", rate->confidence}};
}

class PeakKernel final : public backends::Kernel {
 public:
  PeakKernel(PeakKernelEntry k, std::shared_ptr<PeakTeam> t, std::optional<PeakRate> rate, int cores,
             double rep_seconds)
      : kernel_(k), team_(std::move(t)), rate_(std::move(rate)), cores_(cores), rep_seconds_(rep_seconds),
        iterations_(iterations_per_call(k)) {}

  std::string impl() const override { return kernel_.impl; }
  nlohmann::json about() const override {
    return {{"instruction", kernel_.instruction}, {"vector_bits", kernel_.vector_bits},
            {"accumulators", kernel_.accumulators}, {"iterations_per_call", iterations_},
            {"calls_per_rep", calls_}, {"threads", team_->team.size()}, {"cores", cores_},
            {"clock_method", kClockMethod}, {"path_peak", rate_json(rate_)}};
  }
  double work() const override {
    return double(team_->team.size()) * double(calls_) * double(iterations_) * kernel_.accumulators *
           kernel_.ops_per_instruction;
  }
  // A short call and a full one, checked; then the repetition is sized to last rep_seconds. The
  // checked runs double as the warm-up some cores need before their wide units run at full rate.
  std::string check() override {
    std::string failure = run_calls(1000, 1).failure;
    if (failure.empty()) failure = run_calls(iterations_, 1).failure;
    if (!failure.empty()) return failure;
    const int64_t ns = std::max<int64_t>(1, run_calls(iterations_, 4).ns / 4);
    calls_ = std::max<uint64_t>(1, static_cast<uint64_t>(std::ceil(rep_seconds_ * 1e9 / double(ns))));
    return "";
  }
  // The clock is taken on every thread just before and just after the timed calls; one untimed call
  // between the probe and the timing wakes the wide units again (Zen 5 runs idle 512-bit units slower
  // for a while, cpu-uarch.md section 4).
  backends::Repetition run() override {
    const double ghz_before = median_clock();
    run_calls(iterations_, 1);
    const TimedCalls t = run_calls(iterations_, calls_);
    const double ghz = (ghz_before + median_clock()) / 2;
    nlohmann::json observed = {{"clock_ghz", std::isfinite(ghz) ? nlohmann::json(ghz) : nlohmann::json(nullptr)}};
    if (rate_ && std::isfinite(ghz))
      observed["path_peak"] = theoretical_peak(*rate_, cores_, ghz, kernel_.dtype).ops_per_second * 1e-12;
    return {t.ns, observed, t.failure};
  }

 private:
  struct TimedCalls {
    int64_t ns = 0;
    std::string failure;
  };
  // Runs `calls` calls on every member, checking each call's output.
  TimedCalls run_calls(uint64_t iterations, uint64_t calls) {
    const PeakOperands ops = peak_operands(kernel_.dtype);
    std::mutex failure_mutex;
    std::string failure;
    auto& out = team_->out;
    TimedCalls t;
    t.ns = team_->team.run_timed([&](size_t m) {
      for (uint64_t c = 0; c < calls; ++c) {
        kernel_.fn(iterations, ops, out[m].bytes);
        std::string err = check_peak_output(kernel_, iterations, out[m].bytes);
        if (!err.empty()) {
          std::lock_guard lock(failure_mutex);
          if (failure.empty()) failure = std::move(err);
          return;
        }
      }
    });
    t.failure = failure;
    return t;
  }
  double median_clock() {
    auto& team = team_->team;
    std::vector<PaddedSum> ghz(team.size());
    team.run([&](size_t m) { ghz[m].value = measure_core_ghz(team_->clock_blocks).value_or(std::nan("")); });
    std::vector<double> values;
    for (auto& g : ghz) values.push_back(g.value);
    return median(values);
  }

  PeakKernelEntry kernel_;
  std::shared_ptr<PeakTeam> team_;
  std::optional<PeakRate> rate_;
  int cores_;
  double rep_seconds_;
  uint64_t iterations_;
  uint64_t calls_ = 1;
};

}  // namespace

backends::Offer peak_offer(const backends::PeakRequest& r, const std::string& uarch_id,
                           std::weak_ptr<PeakTeam>& shared) {
  std::vector<PeakKernelEntry> entries;
  for (const auto& k : peak_kernels())
    if (k.dtype == r.dtype) entries.push_back(k);
  if (entries.empty()) {
    std::string reasons;
    for (auto& m : missing_peak_kernels())
      if (m.dtype == r.dtype) reasons += (reasons.empty() ? "" : "; ") + m.impl + ": " + m.reason;
    return {{}, "unsupported: " + (reasons.empty() ? std::string("no peak kernel for this architecture") : reasons)};
  }
  auto team = shared.lock();
  if (!team || team->cpus_asked != r.cpus) {
    team = std::make_shared<PeakTeam>(r.cpus);
    shared = team;
  }
  const int cores = cores_of(r);
  backends::Offer offer;
  for (const auto& k : entries)
    offer.kernels.push_back(
        std::make_unique<PeakKernel>(k, team, kernel_rate(uarch_id, k), cores, r.rep_seconds));
  return offer;
}

nlohmann::json cpu_theoretical_peak(const backends::PeakRequest& r, const std::string& uarch_id, double ghz) {
  // The machine's peak for the dtype is that of its widest path, not of the kernel that won.
  std::optional<PeakRate> widest;
  for (const auto& k : peak_kernels())
    if (k.dtype == r.dtype)
      if (auto rate = kernel_rate(uarch_id, k); rate && (!widest || rate->ops_per_cycle > widest->ops_per_cycle))
        widest = rate;
  if (!widest || !std::isfinite(ghz) || ghz <= 0) return nullptr;
  const auto t = theoretical_peak(*widest, cores_of(r), ghz, r.dtype);
  auto j = rate_json(widest);
  j["formula"] = t.formula;
  j["value"] = t.ops_per_second * 1e-12;
  return j;
}

}  // namespace specgap::cpu
