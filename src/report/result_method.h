#pragma once
// How a figure was measured, in one line a reader can check: the variant, threads, sizes or shape,
// what is counted, how many repetitions and their median and spread, and the kernel check. Every
// chart of the HTML report is followed by these lines for the results it draws.
#include <string>
#include <vector>

#include "core/result.h"

namespace specgap::report {

// "avx2-nt; 2 threads; arrays of 1 GiB; c[i] = a[i]; 10 reps: median 49.6 GB/s (min 46.9, max 57.9,
// CV 5.9%); check passed". Only what the result's params hold is named.
std::string method_text(const Result& r);

// The results' method lines as an HTML list under a "How it was measured" heading; "" when empty.
std::string html_method_list(const std::vector<const Result*>& results);

}  // namespace specgap::report
