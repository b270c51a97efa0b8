#pragma once
// A team of pinned threads that run one function together and are timed as one parallel region.
// The calling thread is member 0 (as OpenMP's master is), so N threads use exactly N cores.
#include <atomic>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace specgap::cpu {

// Thrown by a member that stops waiting because another member of the same job failed (see
// job_abandoned()); the team rethrows the failure itself, never this.
struct JobAbandoned : std::exception {
  const char* what() const noexcept override { return "a team job was abandoned after another member failed"; }
};

// True while the calling thread runs a team job in which another member has thrown. A member that
// waits for the others (a barrier) must then stop by throwing JobAbandoned, or it would wait forever.
bool job_abandoned();

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
  // ready to the moment the last one finished: wake-up latency is outside the timed region. When a
  // member throws, the others finish (or abandon) the job and the first exception is rethrown here,
  // on the caller's thread, where it can become a one-line error.
  int64_t run_timed(const std::function<void(size_t)>& fn);
  void run(const std::function<void(size_t)>& fn) { run_timed(fn); }

 private:
  void worker_loop(size_t member, int cpu);
  void run_member(size_t member);

  size_t size_;
  std::vector<std::thread> workers_;
  const std::function<void(size_t)>* job_ = nullptr;
  std::atomic<uint64_t> generation_{0};  // bumped to hand out a job
  std::atomic<uint64_t> go_{0};          // set to the generation once everyone is ready
  std::atomic<size_t> ready_{0};
  std::atomic<size_t> done_{0};
  std::atomic<bool> quit_{false};
  std::atomic<bool> failed_{false};  // a member of the current job threw
  std::mutex failure_mutex_;
  std::exception_ptr failure_;       // the first exception of the current job
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
