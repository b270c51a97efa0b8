#include "backends/cpu/stream_arrays.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <mutex>
#include <vector>

#include "core/interrupt.h"

namespace specgap::cpu {
namespace {
uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

// A value in [1, 2) on a 1/1024 grid: random, never zero, and exact under the kernels' arithmetic.
double grid_value(uint64_t& state) { return 1.0 + double(splitmix64(state) >> 54) / 1024.0; }

// Long passes over gigabytes poll the stop flag this often (in elements), so Ctrl-C lands within a
// second even while arrays are being filled or checked.
constexpr size_t kPollEvery = size_t(1) << 23;

void fill(double* p, size_t begin, size_t end, uint64_t seed) {
  uint64_t state = seed ^ (begin * 0x100000001b3ull);
  for (size_t i = begin; i < end; ++i) {
    if ((i - begin) % kPollEvery == 0 && interrupt_requested()) return;
    p[i] = grid_value(state);
  }
}


// The array an op writes; nullptr for read, which writes none.
double* output_array(StreamOp op, const MemArrays& x) {
  switch (op) {
    case StreamOp::copy:
    case StreamOp::add: return x.c;
    case StreamOp::scale: return x.b;
    case StreamOp::triad:
    case StreamOp::write: return x.a;
    case StreamOp::read: return nullptr;
  }
  return nullptr;
}
}  // namespace

StreamArrays::StreamArrays(size_t elements, ThreadTeam& team, uint64_t seed, Fill fill)
    : elements_(elements),
      read_array_only_(fill == Fill::read_array),
      a_(elements * sizeof(double)),
      b_(elements * sizeof(double)),
      c_(elements * sizeof(double)),
      seed_(seed) {
  if (fill != Fill::none) randomize(elements, team);
}

void StreamArrays::randomize(size_t from, size_t to, ThreadTeam& team) {
  const auto x = arrays();
  team.run([&](size_t m) {
    auto r = split_range(to - from, team.size(), m);
    r.begin += from;
    r.end += from;
    fill(x.a, r.begin, r.end, seed_ + 1);
    if (read_array_only_) return;
    fill(x.b, r.begin, r.end, seed_ + 2);
    fill(x.c, r.begin, r.end, seed_ + 3);
  });
  throw_if_interrupted();
  seed_ += 0x1000;
}

std::string check_memory_kernel(const MemKernel& kernel, const StreamArrays& arrays, size_t n,
                                ThreadTeam& team) {
  const auto x = arrays.arrays();
  double* const out = output_array(kernel.op, x);
  std::vector<PaddedSum> sums(team.size());
  team.run([&](size_t m) {
    const auto r = split_range(n, team.size(), m);
    // Poison the output first, so a variant that writes nothing cannot pass on what another left.
    if (out) std::fill(out + r.begin, out + r.end, std::numeric_limits<double>::quiet_NaN());
    sums[m].value = kernel.fn(x, r.begin, r.end, kStreamScalar);
  });
  std::string first;
  std::mutex first_lock;
  team.run([&](size_t m) {
    const auto r = split_range(n, team.size(), m);
    const auto report = [&](std::string line) {
      std::lock_guard lock(first_lock);
      if (first.empty()) first = std::move(line);
    };
    if (kernel.op == StreamOp::read) {
      double expected = 0;
      for (size_t i = r.begin; i < r.end; ++i) expected += x.a[i];
      if (expected != sums[m].value)
        report(fmt::format("{}: sum of elements [{}, {}) expected {} got {}", kernel.impl, r.begin, r.end,
                           expected, sums[m].value));
      return;
    }
    for (size_t i = r.begin; i < r.end; ++i) {
      if ((i - r.begin) % kPollEvery == 0 && interrupt_requested()) return;
      const double expected = mem_op_reference(kernel.op, x, i, kStreamScalar);
      if (out[i] != expected) {
        report(fmt::format("{}: element {} expected {} got {}", kernel.impl, i, expected, out[i]));
        return;
      }
    }
  });
  throw_if_interrupted();
  return first;
}

}  // namespace specgap::cpu
