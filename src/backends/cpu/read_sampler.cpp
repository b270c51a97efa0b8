#include "backends/cpu/read_sampler.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "core/interrupt.h"
#include "core/stats.h"
#include "core/units.h"

namespace specgap::cpu {
namespace {
// The read sampler's elements: at least one per thread, or the sample would time nothing.
size_t elements_for(uint64_t array_bytes, const ThreadTeam& team) {
  const size_t n = array_bytes / sizeof(double);
  if (n < team.size())
    throw UsageError(fmt::format("read-bandwidth sampler: an array of {} bytes; need at least {} ({} per thread)",
                                 array_bytes, team.size() * sizeof(double), sizeof(double)));
  return n;
}
}  // namespace

int64_t time_stream_pass(const MemKernel& kernel, const StreamArrays& arrays, size_t n, ThreadTeam& team,
                         std::vector<PaddedSum>& sums) {
  const auto x = arrays.arrays();
  const auto fn = kernel.fn;
  return team.run_timed([&](size_t m) {
    const auto r = split_range(n, team.size(), m);
    sums[m].value = fn(x, r.begin, r.end, kStreamScalar);
  });
}

ReadSampler::ReadSampler(ThreadTeam& team, uint64_t array_bytes, uint64_t seed)
    : team_(team), arrays_(elements_for(array_bytes, team), team, seed, StreamArrays::Fill::read_array) {
  for (auto& k : memory_kernels(StreamOp::read))
    if (check_memory_kernel(k, arrays_, arrays_.elements(), team_).empty()) kernels_.push_back(k);
}

double ReadSampler::sample(int reps) {
  if (reps < 1) throw UsageError(fmt::format("read-bandwidth sample: {} repetitions; need at least 1", reps));
  const size_t n = arrays_.elements();
  const double bytes = double(stream_bytes(StreamOp::read, n));
  std::vector<std::vector<double>> gbps(kernels_.size());
  std::vector<PaddedSum> sums(team_.size());
  for (int rep = 0; rep < reps; ++rep)
    for (size_t i = 0; i < kernels_.size(); ++i) {
      throw_if_interrupted();
      gbps[i].push_back(gb_per_s(bytes, double(time_stream_pass(kernels_[i], arrays_, n, team_, sums)) * 1e-9));
    }
  if (kernels_.empty()) return std::nan("");
  double best = 0;
  for (const auto& g : gbps) best = std::max(best, median(g));
  return best;
}

}  // namespace specgap::cpu
