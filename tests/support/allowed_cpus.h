#pragma once
// The CPUs this process may run on: a test must not pin to one it may not use.
#include <sched.h>

#include <vector>

namespace specgap::test {

inline std::vector<int> allowed_cpus() {
  cpu_set_t set;
  std::vector<int> out;
  if (sched_getaffinity(0, sizeof set, &set) != 0) return out;
  for (int i = 0; i < CPU_SETSIZE; ++i)
    if (CPU_ISSET(i, &set)) out.push_back(i);
  return out;
}

}  // namespace specgap::test
