#pragma once
// A barrier for the members of one ThreadTeam job: the forward pass runs as one job, and its steps
// (a matmul, attention, a norm) are separated by barriers that spin, since each step lasts
// microseconds and a sleeping thread would take longer to wake than the step.
#include <atomic>
#include <cstddef>

namespace specgap::llm {

class SpinBarrier {
 public:
  explicit SpinBarrier(size_t members) : members_(members) {}
  void wait() {
    if (members_ == 1) return;
    const size_t gen = generation_.load(std::memory_order_acquire);
    if (arrived_.fetch_add(1, std::memory_order_acq_rel) + 1 == members_) {
      arrived_.store(0, std::memory_order_relaxed);
      generation_.fetch_add(1, std::memory_order_release);
      return;
    }
    while (generation_.load(std::memory_order_acquire) == gen) {
#if defined(__x86_64__)
      __builtin_ia32_pause();
#endif
    }
  }

 private:
  size_t members_;
  alignas(64) std::atomic<size_t> arrived_{0};
  alignas(64) std::atomic<size_t> generation_{0};
};

}  // namespace specgap::llm
