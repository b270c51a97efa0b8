#include "backends/cpu/cpu_device.h"

#include <algorithm>

#include "backends/cpu/core_clock.h"
#include "backends/cpu/cpu_gemm.h"
#include "backends/cpu/cpu_latency.h"
#include "backends/cpu/cpu_peak.h"
#include "backends/cpu/memory_kernels.h"
#include "backends/cpu/read_sampler.h"
#include "backends/cpu/stream_arrays.h"
#include "backends/cpu/stream_span.h"
#include "backends/cpu/thread_team.h"
#include "backends/registry.h"

namespace specgap::cpu {
namespace {
using backends::Kernels;
using backends::Offer;

// The team, arrays and per-member sums one memory run shares across its kernels.
struct StreamRun {
  StreamRun(const backends::StreamRequest& r)
      : team(r.cpus),
        arrays(r.array_bytes / sizeof(double), team, r.seed, r.fill ? StreamArrays::Fill::all : StreamArrays::Fill::none),
        sums(team.size()) {}
  ThreadTeam team;
  StreamArrays arrays;
  std::vector<PaddedSum> sums;
};

class StreamKernel final : public backends::Kernel {
 public:
  StreamKernel(MemKernel kernel, StreamRun& run) : kernel_(std::move(kernel)), run_(run) {}
  std::string impl() const override { return kernel_.impl; }
  nlohmann::json about() const override { return {{"isa", kernel_.isa}, {"nontemporal", kernel_.nontemporal}}; }
  double work() const override { return double(stream_bytes(kernel_.op, run_.arrays.elements())); }
  std::string check() override { return check_memory_kernel(kernel_, run_.arrays, run_.arrays.elements(), run_.team); }
  backends::Repetition run() override {
    return {time_stream_pass(kernel_, run_.arrays, run_.arrays.elements(), run_.team, run_.sums)};
  }

 private:
  MemKernel kernel_;
  StreamRun& run_;
};

class CpuStreamArrays final : public backends::StreamArrays {
 public:
  explicit CpuStreamArrays(const backends::StreamRequest& r) : run_(r) {}
  uint64_t elements() const override { return run_.arrays.elements(); }
  uint64_t element_bytes() const override { return sizeof(double); }
  Kernels kernels(StreamOp op, const std::vector<std::string>& impls) override {
    Kernels out;
    for (auto& k : memory_kernels(op))
      if (impls.empty() || std::find(impls.begin(), impls.end(), k.impl) != impls.end())
        out.push_back(std::make_unique<StreamKernel>(k, run_));
    return out;
  }
  void fill(uint64_t from, uint64_t to) override { run_.arrays.randomize(from, to, run_.team); }
  uint64_t span_step() const override { return span_block(run_.team); }
  std::string preferred_impl(StreamOp op) const override { return preferred_variant(op); }
  Kernels kernels(StreamOp op, const std::vector<std::string>& impls, const backends::StreamSpan& span) override {
    return span_kernels(op, impls, span, run_.arrays, run_.team, run_.sums);
  }

 private:
  StreamRun run_;
};

// Why this CPU gets no theoretical peak here, "" when it gets one. Under emulation the figures measure
// the emulator: there is no claim to hold them to. A chip of several core kinds has a peak summed over
// kinds, each at its own clock; the peak kernels measure one clock over all threads and would rate
// every core as CPU 0's kind (on GB10, ten X925s as A725s).
std::string no_peak_reason(const CpuInfo& cpu) {
  if (cpu.emulator != "none") return cpu.emulator + ": figures measure the emulator, not a CPU";
  if (cpu.core_kinds.size() < 2) return "";
  std::string kinds;
  for (const CoreKind& k : cpu.core_kinds)
    kinds += (kinds.empty() ? "" : ", ") + std::to_string(k.cores) + " x " + k.uarch.name;
  return "hybrid CPU (" + kinds +
         "): each kind's clock is not measured apart yet; specgap probe sums the peak per kind";
}

class CpuDevice final : public backends::Device {
 public:
  explicit CpuDevice(const Machine& m)
      : uarch_id_(m.cpu.uarch.id), no_peak_reason_(no_peak_reason(m.cpu)) {
    info_.id = "cpu";
    info_.backend = "cpu";
    info_.kind = "cpu";
    info_.name = m.cpu.identity.model_name;
    info_.vendor = m.cpu.identity.vendor;
    info_.memory_bytes = m.memory.total_bytes;
    info_.last_level_cache_bytes = last_level_cache_bytes(m.cpu);
    info_.compute_units = m.cpu.cores;
    info_.clock_mhz = m.cpu.freq_max_mhz.value_or(m.cpu.freq_nominal_mhz.value_or(0));
    info_.unified_memory = true;
    info_.timer = "host monotonic clock";
  }
  const backends::DeviceInfo& info() const override { return info_; }
  std::unique_ptr<backends::StreamArrays> stream_arrays(const backends::StreamRequest& r) override {
    return std::make_unique<CpuStreamArrays>(r);
  }
  Offer latency(const backends::LatencyRequest& r) override { return latency_offer(r); }
  Offer transfers(backends::Transfer, uint64_t) override {
    return {{}, "unsupported: the CPU has no memory of its own to copy to or from"};
  }
  // Without a peak the kernels run unrated ("" is no row of the peak-rate table).
  Offer peak(const backends::PeakRequest& r) override {
    return peak_offer(r, no_peak_reason_.empty() ? uarch_id_ : "", peak_team_);
  }
  nlohmann::json theoretical_peak(const backends::PeakRequest& r, double clock_ghz) const override {
    if (!no_peak_reason_.empty()) return {{"missing", no_peak_reason_}};
    return cpu_theoretical_peak(r, uarch_id_, clock_ghz);
  }
  std::optional<double> measured_clock_mhz(const std::vector<int>& cpus) override { return add_chain_clock_mhz(cpus); }
  Offer gemm(const backends::GemmRequest& r) override { return gemm_offer(r, gemm_libraries_); }

 private:
  backends::DeviceInfo info_;
  std::string uarch_id_;               // the core's row in the peak-rate table
  std::string no_peak_reason_;         // "" when the CPU has a theoretical peak
  std::weak_ptr<PeakTeam> peak_team_;  // shared by the peak kernels alive at once
  GemmLibraries gemm_libraries_;       // opened at the first GEMM, kept (a child serves every shape)
};
}  // namespace

std::unique_ptr<backends::Device> make_cpu_device(const Machine& m) { return std::make_unique<CpuDevice>(m); }

void open_devices(const Machine& m, backends::DeviceList& list) { list.devices.push_back(make_cpu_device(m)); }

}  // namespace specgap::cpu
