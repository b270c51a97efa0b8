#pragma once
// What every suite owes the session's power windows (cli/session.cpp takes each result's power over
// its own timed spans): each span has a length, and no result's span overlaps another result's.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/result.h"

namespace specgap::test {

inline std::string label(const Result& r) { return r.name + (r.dtype ? " " + *r.dtype : ""); }

inline void expect_disjoint_timed_spans(const std::vector<Result>& results) {
  for (size_t i = 0; i < results.size(); ++i) {
    for (const auto& s : results[i].timed) EXPECT_LT(s.begin_ns, s.end_ns) << label(results[i]);
    for (size_t j = i + 1; j < results.size(); ++j)
      for (const auto& a : results[i].timed)
        for (const auto& b : results[j].timed)
          EXPECT_TRUE(a.end_ns <= b.begin_ns || b.end_ns <= a.begin_ns)
              << label(results[i]) << " and " << label(results[j]) << " share timed work";
  }
}

}  // namespace specgap::test
