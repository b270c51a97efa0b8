#pragma once
// Builds a CacheLevel in one line for hand-made CpuInfo fixtures.
#include <cstdint>

#include "probe/machine.h"

namespace specgap::test {

inline CacheLevel cache(int level, const char* type, uint64_t size, int instances, int pus) {
  CacheLevel c;
  c.level = level;
  c.type = type;
  c.size_bytes = size;
  c.instances = instances;
  c.pus_per_instance = pus;
  return c;
}

}  // namespace specgap::test
