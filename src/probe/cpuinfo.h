#pragma once
// /proc/cpuinfo helpers shared by the identity parser and the frequency reader.
#include <optional>
#include <string>

namespace specgap {

// The value of the first "key : value" line whose key is `key` (e.g. "cpu MHz"), trimmed; the
// first occurrence belongs to processor 0. Empty optional when no line has that key.
std::optional<std::string> cpuinfo_value(const std::string& cpuinfo_text, const std::string& key);

// The vendor behind an Arm MIDR implementer code (0x41 -> "ARM", 0x61 -> "Apple"); for a code
// not in the table, the code itself in hex ("0x6d").
std::string arm_implementer_name(int implementer);

}  // namespace specgap
