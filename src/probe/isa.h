#pragma once
// The ISA features specgap cares about, in one canonical spelling and order, whichever source
// (/proc/cpuinfo flags, Arm Features, CPUID bits) found them.
#include <string>
#include <vector>

namespace specgap {

// Which naming the raw features follow. The two overlap: x86 "sme" is AMD Secure Memory Encryption,
// Arm "sme" the Scalable Matrix Extension.
enum class IsaFamily { x86, arm };

// Maps raw feature names (Linux cpuinfo spellings, e.g. "asimd") to the canonical names and
// returns those present, in the fixed order of the canonical list, without duplicates. Names that
// do not matter to specgap, or belong to the other family, are dropped.
std::vector<std::string> normalise_isa(IsaFamily family, const std::vector<std::string>& raw_features);

}  // namespace specgap
