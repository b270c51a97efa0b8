#pragma once
// The SVE vector length this process runs at: Linux lets each process choose one up to the core's
// maximum, so it is read, not assumed from the core.
#include <optional>
#include <string>

namespace specgap {

struct SveLength {
  int bits = 0;        // 0: not read
  std::string source;  // how it was read
};

// /proc/sys/abi/sve_default_vector_length holds the default length in bytes ("16\n" = 128 bits);
// nullopt for anything but a whole positive number.
std::optional<int> sve_bits_from_default_length(const std::string& text);

// prctl(PR_SVE_GET_VL) in the aarch64 build; else, or when that fails, the default length above.
SveLength read_sve_length();

}  // namespace specgap
