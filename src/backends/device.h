#pragma once
// The device seam (DESIGN.md, backends): what every device family offers the suites. A suite asks a
// Device for kernels bound to their buffers, hands them to the harness (harness/measure.h), and never
// includes a backend's own headers. A backend is a folder under backends/ that implements Device and
// registers a factory in backends/registry.cpp's one list.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/dtype.h"
#include "core/stream_ops.h"

namespace specgap::backends {

// One timed repetition of a kernel, on its device's timer.
struct Repetition {
  Repetition() = default;
  Repetition(int64_t ns, nlohmann::json observed = nullptr, std::string failure = {})
      : ns(ns), observed(std::move(observed)), failure(std::move(failure)) {}
  int64_t ns = 0;                          // elapsed time of the timed work
  nlohmann::json observed = nullptr;       // what the device saw alongside (e.g. {"clock_ghz": 3.2}), or null
  std::string failure;                     // a kernel that checks every call it times: why one was wrong
};

// A kernel bound to its buffers and launch shape, ready to run exactly as it will be timed. The
// harness calls check() once (which doubles as the warm-up), then run() for every repetition.
class Kernel {
 public:
  virtual ~Kernel() = default;
  // The variant's name as results show it in `impl` ("avx512-nt", "vk-vec4", "vk-copy-engine").
  virtual std::string impl() const = 0;
  // What else a reader needs to know of the variant (ISA, workgroup size, queue ...): kept in the
  // result's `variants`. Asked after check(), which may size the kernel's repetitions.
  virtual nlohmann::json about() const { return nlohmann::json::object(); }
  // The work one repetition does in the suite's convention: bytes for memory and transfers (STREAM's
  // or nvbandwidth's counting), operations for compute (an FMA counts 2).
  virtual double work() const = 0;
  // Runs the kernel once in the timed configuration and checks its output against a reference:
  // "" when right, else why not in a few words. A kernel whose check fails is never timed.
  virtual std::string check() = 0;
  // One timed repetition. Throws specgap::Error when the device fails (lost, out of memory).
  virtual Repetition run() = 0;
  // Where repetitions run back to back (Plan::interleave false): one untimed run just before them,
  // as a program calling the kernel in a loop runs it.
  virtual void warm_up() {}
  // The most repetitions worth timing: a kernel whose one repetition lasts seconds may ask for fewer
  // than the plan's (asked after check()).
  virtual int max_reps() const { return 1 << 30; }
};
using Kernels = std::vector<std::unique_ptr<Kernel>>;

// What a device offers for one request: its kernels, or none and the reason ("unsupported: ...").
struct Offer {
  Offer() = default;
  Offer(Kernels kernels, std::string unsupported = {}) : kernels(std::move(kernels)), unsupported(std::move(unsupported)) {}
  Kernels kernels;
  std::string unsupported;         // "" when kernels is not empty
  std::vector<std::string> notes;  // what it could not offer beside them, one line each
};

// How a device describes itself; the machine record's `devices` list holds one per device.
struct DeviceInfo {
  std::string id;       // as results name the device: "cpu", "gpu0", "gpu1", ...
  std::string backend;  // the folder that drives it: "cpu", "vulkan"
  std::string kind;     // cpu, gpu, apu (shares the host's DRAM), software (a rasteriser on the CPU)
  std::string name, vendor;
  std::string driver;   // driver name and version, "" for the CPU
  std::string api;      // e.g. "Vulkan 1.3.230"; "" for the CPU
  std::string pci_address;  // "0000:3b:00.0" (core/pci_address.h) where the API tells it; "" otherwise
  uint64_t memory_bytes = 0;            // device-local memory; 0 when unknown
  uint64_t max_buffer_bytes = 0;        // the largest buffer one kernel may bind; 0: no limit
  uint64_t last_level_cache_bytes = 0;  // 0 when unknown
  int compute_units = 0;                // cores, SMs or CUs; 0 when unknown
  double clock_mhz = 0;                 // rated or current shader clock; 0 when unknown
  bool unified_memory = false;          // host and device share the same DRAM
  std::string timer;                    // "host monotonic clock" or "device timestamps"
  nlohmann::json extra = nlohmann::json::object();  // backend-specific facts (features, extensions)
};
nlohmann::json to_json(const DeviceInfo& d);

// The working-set sweep's STREAM kernel: an op over the first `elements` elements of each array only,
// repeated within one repetition until it lasts long enough for the device's timer.
struct StreamSpan {
  uint64_t elements = 0;   // a multiple of StreamArrays::span_step(), at most elements()
  int64_t min_rep_ns = 0;  // check() sizes the passes per repetition to last at least this (0: one pass)
};

// STREAM arrays a, b and c, allocated and filled once on a device for a run of the memory suite.
class StreamArrays {
 public:
  virtual ~StreamArrays() = default;
  virtual uint64_t elements() const = 0;
  virtual uint64_t element_bytes() const = 0;  // 8 on the CPU (double); a GPU may use 4 (float)
  // Every variant of `op` this device runs over these arrays, the reference variant first; only those
  // named in `impls` when it is not empty.
  virtual Kernels kernels(StreamOp op, const std::vector<std::string>& impls) = 0;

  // For the working-set sweep, over arrays made with StreamRequest::fill false:
  // (Re)fills elements [from, to) of every array with fresh values. The sweep fills only what each
  // point adds, so on the CPU memory no point needs is never touched.
  virtual void fill(uint64_t from, uint64_t to) = 0;
  // A span's elements must be a multiple of this (the CPU: whole 64-element blocks per thread).
  virtual uint64_t span_step() const = 0;
  // The variant one-variant measurements run when none is asked for: the widest that stores through
  // the caches, since the sweep measures the caches (a non-temporal store bypasses them).
  virtual std::string preferred_impl(StreamOp op) const = 0;
  // Like kernels(op, impls), over a span; work() counts every pass of a repetition.
  virtual Kernels kernels(StreamOp op, const std::vector<std::string>& impls, const StreamSpan& span) = 0;
};

struct StreamRequest {
  uint64_t array_bytes = 0;  // bytes of each of the three arrays
  std::vector<int> cpus;     // host threads to pin (the CPU device); a GPU ignores it
  uint64_t seed = 1;         // for the random fill
  bool fill = true;          // false: nothing filled until StreamArrays::fill (the sweep)
};

// Copies between host and device memory, and within the device, counted as nvbandwidth counts them:
// the bytes copied, once (a bidirectional run counts both directions' bytes).
enum class Transfer { h2d, d2h, d2d, bidir };
const char* to_string(Transfer t);

struct PeakRequest {
  Dtype dtype = Dtype::fp32;
  double rep_seconds = 0.1;  // each repetition should last about this long
  std::vector<int> cpus;     // host threads to pin (the CPU device); a GPU ignores them
  int cores = 0;             // physical cores under those threads (SMT siblings count once); 0: one per CPU
};

// Load-to-use latency: one kernel chasing pointers through a random cycle over a working set, each
// load's address the value of the one before, so loads never overlap and no prefetcher guesses them.
struct LatencyRequest {
  uint64_t working_set_bytes = 0;
  uint64_t seed = 1;          // the cycle's order
  int cpu = -1;               // host CPU the chasing thread is pinned to (the CPU device); -1: not pinned
  double rep_seconds = 0.02;  // check() sizes the loads per repetition to last about this long
};

struct GemmRequest {
  Dtype dtype = Dtype::fp32;
  int m = 0, n = 0, k = 0;   // C[m x n] = A[m x k] * B[k x n]
  int check_samples = 64;    // entries of C checked against a reference
  double rep_seconds = 0.2;  // small shapes repeat the call to last about this long
  uint64_t seed = 1;
  int threads = 1;           // host threads a library may use (the CPU device); a GPU ignores it
  std::string helper_exe;    // a specgap binary the device may start as a child (the CPU runs a library
                             // the environment caps there, uncapped); "" for none
  std::vector<std::string> only;  // only these implementations (the CPU's libraries: onednn,
                                  // onednn-packed, openblas); empty: every one
};

class Device {
 public:
  virtual ~Device() = default;
  virtual const DeviceInfo& info() const = 0;
  // The memory suite's arrays; throws specgap::Error (one line) when they do not fit.
  virtual std::unique_ptr<StreamArrays> stream_arrays(const StreamRequest& r) = 0;
  // Host<->device copies of `bytes`; a device without its own memory (the CPU) offers none.
  virtual Offer transfers(Transfer t, uint64_t bytes) = 0;
  // Register-resident arithmetic at the device's peak rate for one dtype, checked in closed form.
  virtual Offer peak(const PeakRequest& r) = 0;
  // Dense matrix multiply (the fastest path the device has for the dtype: matrix cores, else tiles).
  virtual Offer gemm(const GemmRequest& r) = 0;
  // The device's theoretical peak for a peak request at the clock its kernels ran at (0: unknown):
  // {ops_per_cycle_per_core, basis, source, confidence, formula, value (in TFLOP/s or TOP/s)}, or
  // null when the device cannot say (no table row, unknown units or clock, a software device).
  virtual nlohmann::json theoretical_peak(const PeakRequest& r, double clock_ghz) const { return nullptr; }
  // The clock the device delivers right now, measured where nothing else tells it (the CPU: a chain
  // of dependent one-cycle adds timed on each of `cpus` for 10 ms, averaged; a VM has no cpufreq),
  // in MHz; nullopt where the device has no such probe (a GPU's clock comes with its telemetry).
  virtual std::optional<double> measured_clock_mhz(const std::vector<int>& cpus) { return std::nullopt; }
  // A pointer chase (LatencyRequest): one kernel whose work() is the loads of one repetition, checked
  // by where the chase ends; its about() names stride_bytes and pages. Unsupported unless a device offers it.
  virtual Offer latency(const LatencyRequest&) { return {{}, "unsupported: no pointer chase on this device yet"}; }
};
using Devices = std::vector<std::unique_ptr<Device>>;

}  // namespace specgap::backends
