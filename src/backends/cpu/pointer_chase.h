#pragma once
// Load-to-use latency by a pointer chase: every load's address is the value of the previous load, so
// loads cannot overlap, and the visiting order is a random cycle, so prefetchers cannot guess it
// (lmbench's lat_mem_rd and Intel MLC measure the same way).
#include <cstddef>
#include <cstdint>

#include "backends/cpu/buffer.h"

namespace specgap::cpu {

inline constexpr size_t kChaseStride = 64;  // one node per cache line

class PointerChase {
 public:
  // Lays a random cyclic order over every cache line of a working set of `bytes` (Sattolo's
  // algorithm: one cycle through all nodes). `seed` makes the order reproducible.
  PointerChase(size_t bytes, uint64_t seed);

  size_t nodes() const { return nodes_; }
  size_t bytes() const { return nodes_ * kChaseStride; }

  // Follows `loads` pointers from the first node; returns where it ended.
  const void* chase(size_t loads) const;
  // Where `loads` steps from the first node must end, from the order kept aside (for the check).
  const void* expected_after(size_t loads) const;

 private:
  Buffer buffer_;
  size_t nodes_;
  Buffer order_;  // order_[k] = the node visited at step k
};

}  // namespace specgap::cpu
