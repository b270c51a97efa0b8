#pragma once
// The three STREAM arrays, first-touched by the pinned threads that will use them, filled with random
// values on a 1/1024 grid in [1, 2). On that grid every kernel's arithmetic (s = 3, sums below 2^43)
// is exact in double precision, so a kernel's output is checked for exact equality, whatever the
// order of its additions or whether it fused a multiply-add.
#include <cstddef>
#include <cstdint>
#include <string>

#include "backends/cpu/buffer.h"
#include "backends/cpu/memory_kernels.h"
#include "backends/cpu/thread_team.h"

namespace specgap::cpu {

class StreamArrays {
 public:
  // What the constructor and randomize() fill: every array; array a only (all the read op touches,
  // so b and c stay unmapped); or nothing (the sweep fills as its points grow). Memory never filled
  // is never touched.
  enum class Fill { all, read_array, none };

  // Allocates three arrays of `elements` doubles and fills them from the team's threads.
  StreamArrays(size_t elements, ThreadTeam& team, uint64_t seed, Fill fill = Fill::all);

  size_t elements() const { return elements_; }
  MemArrays arrays() const { return {a_.as<double>(), b_.as<double>(), c_.as<double>()}; }
  // Re-fills elements [from, to) of every array with fresh random values (in parallel).
  void randomize(size_t from, size_t to, ThreadTeam& team);
  void randomize(size_t n, ThreadTeam& team) { randomize(0, n, team); }

 private:
  size_t elements_;
  bool read_array_only_;
  Buffer a_, b_, c_;
  uint64_t seed_;
};

// Runs `kernel` once over the first n elements split across the team, then compares its output with
// the scalar reference, element by element. Returns "" when equal, else one line naming the first
// mismatch (array index, expected, got).
std::string check_memory_kernel(const MemKernel& kernel, const StreamArrays& arrays, size_t n,
                                ThreadTeam& team);

}  // namespace specgap::cpu
