#include "backends/cpu/core_clock.h"

#include <pthread.h>
#include <sched.h>

#include <algorithm>
#include <cmath>
#include <thread>

#include "backends/cpu/arch_kernels.h"
#include "core/clock.h"

namespace specgap::cpu {
namespace {
constexpr double kAddsPerBlock = 256;
}

std::optional<double> measure_core_ghz(uint64_t blocks) {
  if (!has_add_chain() || blocks == 0) return std::nullopt;
  const int64_t start = monotonic_ns();
  volatile uint64_t sink = run_add_chain(blocks);
  (void)sink;
  const int64_t elapsed = monotonic_ns() - start;
  if (elapsed <= 0) return std::nullopt;
  return kAddsPerBlock * static_cast<double>(blocks) / static_cast<double>(elapsed);
}

uint64_t add_chain_blocks_for(double seconds) {
  constexpr uint64_t kProbeBlocks = 4096;  // about 0.25 ms at 4 GHz
  const auto ghz = measure_core_ghz(kProbeBlocks);
  if (!ghz) return 0;
  return std::max<uint64_t>(1, static_cast<uint64_t>(std::llround(seconds * *ghz * 1e9 / kAddsPerBlock)));
}

std::optional<double> add_chain_clock_mhz(const std::vector<int>& cpus) {
  static const uint64_t blocks = add_chain_blocks_for(0.01);
  std::vector<std::optional<double>> ghz(cpus.size());
  std::vector<std::thread> threads;
  for (size_t i = 0; i < cpus.size(); ++i)
    threads.emplace_back([&, i] {
      cpu_set_t set;
      CPU_ZERO(&set);
      CPU_SET(cpus[i], &set);
      pthread_setaffinity_np(pthread_self(), sizeof set, &set);
      ghz[i] = measure_core_ghz(blocks);
    });
  for (auto& t : threads) t.join();
  if (ghz.empty()) return std::nullopt;
  double sum = 0;
  for (auto& g : ghz) {
    if (!g) return std::nullopt;
    sum += *g;
  }
  return sum / double(ghz.size()) * 1000;
}

}  // namespace specgap::cpu
