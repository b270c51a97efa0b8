#pragma once
// The one measurement path every suite takes (DESIGN.md, harness): check each kernel in the exact
// configuration that will be timed (the checked run doubles as the warm-up), time repetitions on the
// device's own timer, interleaved across the kernels so a noisy neighbour hits all alike, and reduce
// them to the same statistics. A kernel whose check fails is never timed and reports no number.
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "backends/device.h"
#include "core/result.h"
#include "core/sink.h"

namespace specgap::harness {

// What is measured, and how a repetition's work and time become the figure.
struct Plan {
  std::string suite;   // memory, compute, transfer, ...
  std::string device;  // the device id results name ("cpu", "gpu0")
  std::string name;    // triad, peak, h2d, ...
  std::string unit;    // GB/s, TFLOP/s, ...
  int reps = 10;
  // The figure of one repetition from its work (Kernel::work) and its nanoseconds.
  std::function<double(double work, int64_t ns)> rate;
  nlohmann::json sample_params = nlohmann::json::object();  // added to every stored sample
  // Interleave the kernels' repetitions (a noisy neighbour hits all alike), or run each kernel's back
  // to back after one untimed warm-up, as a library is called in a loop (a library whose idle threads
  // spin on would otherwise be timed against the last one's).
  bool interleave = true;
};

// One kernel after measurement.
struct Variant {
  std::string impl;
  nlohmann::json about;
  std::string check;                        // kCheckPassed, or "failed: why"
  std::vector<double> values;               // the figure per repetition
  std::vector<nlohmann::json> observed;     // what the device saw per repetition (null when nothing)
};

struct Measured {
  std::vector<Variant> variants;  // in the kernels' order
  TimedSpan timed;                // first timed repetition to last, host monotonic clock
  const Variant* best() const;    // the passed variant with the highest median; nullptr when none
};

// The usual Plan::rate functions: work per time in GB/s (1e9 bytes) and in TFLOP/s or TOP/s.
double rate_gb_per_s(double bytes, int64_t ns);
double rate_tera_per_s(double ops, int64_t ns);

// Checks every kernel, then times `plan.reps` interleaved repetitions of those that passed, storing
// each repetition in the sink as it lands. Throws Interrupted on Ctrl-C, and whatever a kernel
// throws for a device fault.
Measured measure(backends::Kernels& kernels, const Plan& plan, RunSink& sink);

// The result of a measurement: the best variant's median, every variant in `variants`, the timed
// span; or, when no variant passed, a failed check and no figure. The caller adds params.
Result to_result(const Measured& m, const Plan& plan);

// The variant of `r` its figure came from (the passed one with r's impl and median), or nullptr.
const nlohmann::json* figure_variant(const Result& r);
// What a variant's kernel said of itself (its about()), without what the harness added to it.
nlohmann::json kernel_description(const nlohmann::json& variant);

// Names the device a result was measured on in its params (device_name, device_kind), so a reader
// of the result alone knows, e.g., that "gpu0" was a software rasteriser whose figures are the CPU's.
void name_device(Result& r, const backends::DeviceInfo& d);

// A result that says why a device could not measure this at all ("unsupported: ..."), with no figure.
Result unsupported_result(const Plan& plan, const std::string& why);

}  // namespace specgap::harness
