#pragma once
// Where a suite sends what it measures, as it measures it: the CLI's sink stores each sample and
// result at once (so a kill loses at most the one in flight) and draws progress.
#include <string>

#include "core/result.h"
#include "core/telemetry.h"

namespace specgap {

class RunSink {
 public:
  virtual ~RunSink() = default;
  virtual void sample(const Sample& s) = 0;
  virtual void result(const Result& r) = 0;
  // A short human line about what is being measured now; may be ignored.
  virtual void progress(const std::string& line) {}
  // The telemetry timeline of this run so far; nullptr when sampling is off.
  virtual const TelemetryFeed* telemetry() const { return nullptr; }
};

}  // namespace specgap
