#pragma once
// Where the LLM engine runs: a team of threads pinned to the given CPUs (the engine is a CPU engine:
// it generates and packs weights, prefills and decodes on these threads), and what the benchmark
// samples beside it on the same threads: the read bandwidth decode is held against. A suite holds a
// Runtime and never the CPU backend's pieces itself.
#include <cstdint>
#include <memory>
#include <vector>

#include "backends/cpu/read_sampler.h"
#include "backends/cpu/thread_team.h"
#include "llm/tensor_source.h"

namespace specgap::llm {

class Runtime {
 public:
  // An empty list is one unpinned thread.
  explicit Runtime(const std::vector<int>& cpus) : team_(cpus) {}

  cpu::ThreadTeam& team() { return team_; }
  // Spreads a tensor source's work over the runtime's threads.
  ParallelFor parallel() { return parallel_on(team_); }

  // Allocates, fills and checks the memory suite's read array of `bytes` on these threads, outside
  // every timed region; then each sample_read() times it `reps` times per read kernel and gives the
  // best kernel's median in GB/s (NaN when no read kernel passed its check).
  void prepare_read_samples(uint64_t bytes, uint64_t seed) {
    reader_ = std::make_unique<cpu::ReadSampler>(team_, bytes, seed);
  }
  bool reads_prepared() const { return reader_ != nullptr; }
  double sample_read(int reps) { return reader_->sample(reps); }

 private:
  cpu::ThreadTeam team_;
  std::unique_ptr<cpu::ReadSampler> reader_;
};

}  // namespace specgap::llm
