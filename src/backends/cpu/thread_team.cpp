#include "backends/cpu/thread_team.h"

#include <pthread.h>
#include <sched.h>

#include <chrono>
#include <cstring>
#include <utility>

#include "core/error.h"

namespace specgap::cpu {
namespace {
// Spinning keeps wake-up out of the timed region; after this many polls a member sleeps on a futex
// so an idle team does not burn a core while results are written.
constexpr int kSpinPolls = 200000;

inline void cpu_relax() {
#if defined(__x86_64__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

void pin_to(int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  if (pthread_setaffinity_np(pthread_self(), sizeof set, &set) != 0)
    throw Error("cannot pin a thread to CPU " + std::to_string(cpu) + ": " + std::strerror(errno));
}

// The failure flag of the job this thread runs, so that job_abandoned() needs no team handle: the
// LLM engine's barriers are deep inside the job.
thread_local const std::atomic<bool>* t_job_failed = nullptr;

template <class T>
void wait_until_equal(const std::atomic<T>& value, T expected) {
  for (int i = 0; value.load(std::memory_order_acquire) != expected; ++i) {
    if (i < kSpinPolls) {
      cpu_relax();
    } else {
      T seen = value.load(std::memory_order_acquire);
      if (seen != expected) value.wait(seen, std::memory_order_acquire);
    }
  }
}
}  // namespace

bool job_abandoned() { return t_job_failed && t_job_failed->load(std::memory_order_relaxed); }

Range split_range(size_t n, size_t parts, size_t member) {
  constexpr size_t kAlign = 64;
  const size_t blocks = (n + kAlign - 1) / kAlign;
  const size_t per = blocks / parts, extra = blocks % parts;
  const size_t first = member * per + (member < extra ? member : extra);
  const size_t count = per + (member < extra ? 1 : 0);
  size_t begin = first * kAlign, end = (first + count) * kAlign;
  if (begin > n) begin = n;
  if (end > n) end = n;
  return {begin, end};
}

ThreadTeam::ThreadTeam(std::vector<int> cpus) : size_(cpus.empty() ? 1 : cpus.size()) {
  if (!cpus.empty()) {
    cpu_set_t old;
    if (pthread_getaffinity_np(pthread_self(), sizeof old, &old) == 0) {
      old_affinity_.assign(reinterpret_cast<unsigned char*>(&old),
                           reinterpret_cast<unsigned char*>(&old) + sizeof old);
      restore_affinity_ = true;
    }
    pin_to(cpus[0]);
  }
  for (size_t m = 1; m < size_; ++m) workers_.emplace_back([this, m, cpu = cpus[m]] { worker_loop(m, cpu); });
}

ThreadTeam::~ThreadTeam() {
  quit_.store(true, std::memory_order_release);
  generation_.fetch_add(1, std::memory_order_acq_rel);
  generation_.notify_all();
  for (auto& t : workers_) t.join();
  if (restore_affinity_) {
    cpu_set_t old;
    std::memcpy(&old, old_affinity_.data(), sizeof old);
    pthread_setaffinity_np(pthread_self(), sizeof old, &old);
  }
}

void ThreadTeam::worker_loop(size_t member, int cpu) {
  // A pinning failure here cannot throw across the thread boundary; the member then runs unpinned,
  // which the constructor's own pin of member 0 would already have reported on a broken system.
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  pthread_setaffinity_np(pthread_self(), sizeof set, &set);
  uint64_t seen = 0;
  for (;;) {
    for (int i = 0; generation_.load(std::memory_order_acquire) == seen; ++i) {
      if (i < kSpinPolls) cpu_relax();
      else generation_.wait(seen, std::memory_order_acquire);
    }
    seen = generation_.load(std::memory_order_acquire);
    if (quit_.load(std::memory_order_acquire)) return;
    ready_.fetch_add(1, std::memory_order_acq_rel);
    ready_.notify_one();
    while (go_.load(std::memory_order_acquire) != seen) cpu_relax();
    run_member(member);
    done_.fetch_add(1, std::memory_order_acq_rel);
    done_.notify_one();
  }
}

void ThreadTeam::run_member(size_t member) {
  // An exception must not leave the member's thread (std::terminate) nor skip the done count (the
  // caller would wait forever): it is kept for the caller, and the others are told to stop waiting.
  t_job_failed = &failed_;
  try {
    (*job_)(member);
  } catch (const JobAbandoned&) {
    // Another member's failure is the one to report.
  } catch (...) {
    std::lock_guard lock(failure_mutex_);
    if (!failure_) failure_ = std::current_exception();
    failed_.store(true, std::memory_order_relaxed);
  }
  t_job_failed = nullptr;
}

int64_t ThreadTeam::run_timed(const std::function<void(size_t)>& fn) {
  job_ = &fn;
  failed_.store(false, std::memory_order_relaxed);
  failure_ = nullptr;
  ready_.store(0, std::memory_order_relaxed);
  done_.store(0, std::memory_order_relaxed);
  const uint64_t gen = generation_.fetch_add(1, std::memory_order_acq_rel) + 1;
  generation_.notify_all();
  wait_until_equal(ready_, size_ - 1);
  const auto t0 = std::chrono::steady_clock::now();
  go_.store(gen, std::memory_order_release);
  run_member(0);
  wait_until_equal(done_, size_ - 1);
  const auto t1 = std::chrono::steady_clock::now();
  if (failure_) std::rethrow_exception(std::exchange(failure_, nullptr));
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count();
}

}  // namespace specgap::cpu
