#include "llm/row_chunks.h"

#include "probe/cpuid.h"

namespace specgap::llm {

bool small_decode_chunks() {
  static const bool intel = identity_from_cpuid(read_cpuid_leaves()).vendor == "GenuineIntel";
  return intel;
}

}  // namespace specgap::llm
