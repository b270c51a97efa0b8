#pragma once
// A barrier for the members of one ThreadTeam job: the forward pass runs as one job, and its steps
// (a matmul, attention, a norm) are separated by barriers that spin, since each step lasts
// microseconds and a sleeping thread would take longer to wake than the step.
#include <atomic>
#include <cstddef>
#include <thread>

#include "backends/cpu/thread_team.h"

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
    // Spin while the others are surely running; past that (an oversubscribed machine, where the
    // member we wait for may not be on a core) give the core away instead of burning it. A member
    // that threw will never arrive: stop then, leaving this barrier unusable, as is the failed call.
    for (int polls = 0; generation_.load(std::memory_order_acquire) == gen; ++polls) {
      if (cpu::job_abandoned()) throw cpu::JobAbandoned();
      if (polls < kSpinPolls) {
#if defined(__x86_64__)
        __builtin_ia32_pause();
#endif
      } else {
        std::this_thread::yield();
      }
    }
  }

 private:
  static constexpr int kSpinPolls = 20000;  // some tens of microseconds
  size_t members_;
  alignas(64) std::atomic<size_t> arrived_{0};
  alignas(64) std::atomic<size_t> generation_{0};
};

}  // namespace specgap::llm
