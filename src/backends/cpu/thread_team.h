#pragma once
// A team of pinned threads that run one function together and are timed as one parallel region.
// The calling thread is member 0 (as OpenMP's master is), so N threads use exactly N cores.
#include <atomic>
#include <cstdint>
#include <functional>
#include <thread>
#include <vector>

namespace specgap::cpu {

class ThreadTeam {
 public:
  // cpus[i] is the OS CPU member i is pinned to; the caller is pinned to cpus[0] for the team's life
  // and gets its old affinity back at destruction. An empty list means one unpinned member.
  explicit ThreadTeam(std::vector<int> cpus);
  ~ThreadTeam();
  ThreadTeam(const ThreadTeam&) = delete;
  ThreadTeam& operator=(const ThreadTeam&) = delete;

  size_t size() const { return size_; }

  // Runs fn(member) on every member and returns the nanoseconds from the moment all members stood
  // ready to the moment the last one finished: wake-up latency is outside the timed region.
  int64_t run_timed(const std::function<void(size_t)>& fn);
  void run(const std::function<void(size_t)>& fn) { run_timed(fn); }

 private:
  void worker_loop(size_t member, int cpu);

  size_t size_;
  std::vector<std::thread> workers_;
  const std::function<void(size_t)>* job_ = nullptr;
  std::atomic<uint64_t> generation_{0};  // bumped to hand out a job
  std::atomic<uint64_t> go_{0};          // set to the generation once everyone is ready
  std::atomic<size_t> ready_{0};
  std::atomic<size_t> done_{0};
  std::atomic<bool> quit_{false};
  bool restore_affinity_ = false;
  std::vector<unsigned char> old_affinity_;
};

// One member's result, alone on its cache line so members writing theirs do not share a line.
struct alignas(64) PaddedSum {
  double value = 0;
};

// Splits n elements over `parts` members in chunks that start on 64-element (512-byte) boundaries,
// so every chunk is cache-line and vector aligned. Returns [begin, end) of one member.
struct Range {
  size_t begin, end;
};
Range split_range(size_t n, size_t parts, size_t member);

}  // namespace specgap::cpu
