#pragma once
// A RunSink that keeps everything a suite sends, for tests to inspect.
#include <string>
#include <vector>

#include "core/sink.h"

namespace specgap::test {

class RecordingSink : public RunSink {
 public:
  void sample(const Sample& s) override { samples.push_back(s); }
  void result(const Result& r) override { results.push_back(r); }
  void progress(const std::string& line) override { progress_lines.push_back(line); }

  std::vector<Sample> samples;
  std::vector<Result> results;
  std::vector<std::string> progress_lines;
};

}  // namespace specgap::test
