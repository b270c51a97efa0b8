#pragma once
// Dense matrix multiply on the CPU through vendor libraries (oneDNN, OpenBLAS): the GEMM figure is
// what the best library reaches, not what our own kernels do. Each library says per dtype whether it
// can run here (and why not); a prepared instance owns its operands and checks its own output.
// The libraries' headers stay inside their .cpp files.
//
// Threads: both libraries run their own thread pools, whose threads inherit the CPU affinity of the
// thread that creates them. Call prepare() from an unpinned thread, or every library thread lands on
// the caller's core.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/dtype.h"

namespace specgap::cpu {

struct GemmShape {  // C[m x n] = A[m x k] * B[k x n], all row-major
  int64_t m = 0, n = 0, k = 0;
};

// One library prepared for one dtype and shape: owns A, B (random inputs) and C.
class GemmInstance {
 public:
  virtual ~GemmInstance() = default;
  // One C = A*B; returns when C is complete.
  virtual void run() = 0;
  // Runs `calls` GEMMs back to back; returns the nanoseconds they took on the monotonic clock.
  // Virtual so that an instance living in another process times there (gemm_worker.h).
  virtual int64_t time_calls(int calls);
  // Poisons C, runs once, and checks the four corners and `samples` random entries against an fp64
  // recomputation (gemm_check.h). Returns "" when passed, else a one-line reason.
  virtual std::string run_and_check(int samples) = 0;
  // What really ran: oneDNN's implementation ("brg:avx512_core_bf16"), OpenBLAS's core ("Haswell").
  virtual std::string kernel() const = 0;
};

class GemmLibrary {
 public:
  virtual ~GemmLibrary() = default;
  virtual std::string name() const = 0;     // "onednn", "openblas"
  virtual std::string version() const = 0;  // of the library loaded at run time: "2.6.3", "0.3.21"
  // Why this library cannot run this dtype on this CPU, or nullopt when it can. Never throws.
  virtual std::optional<std::string> unsupported(Dtype d) const = 0;
  // Allocates and fills random inputs (deterministic from seed) and sets the library's thread count.
  // Throws specgap::Error with a one-line message on failure (allocation, a bad shape or thread
  // count, a dtype the library refuses).
  virtual std::unique_ptr<GemmInstance> prepare(Dtype d, GemmShape s, int threads, uint64_t seed) const = 0;
};

// Every library built in, whether or not it supports a given dtype.
std::vector<std::unique_ptr<GemmLibrary>> gemm_libraries();

}  // namespace specgap::cpu
