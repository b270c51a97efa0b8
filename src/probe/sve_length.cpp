#include "probe/sve_length.h"

#include <charconv>

#include "probe/host.h"

#if defined(__aarch64__)
#include <sys/prctl.h>
#endif

namespace specgap {

std::optional<int> sve_bits_from_default_length(const std::string& text) {
  const auto end = text.find_last_not_of(" \t\r\n");
  if (end == std::string::npos) return std::nullopt;
  int bytes = 0;
  const auto [last, ec] = std::from_chars(text.data(), text.data() + end + 1, bytes);
  if (ec != std::errc() || last != text.data() + end + 1 || bytes <= 0) return std::nullopt;
  return bytes * 8;
}

SveLength read_sve_length() {
#if defined(__aarch64__)
  // The length in bytes in the low 16 bits, inheritance flags above; an error without SVE.
  if (const int vl = prctl(PR_SVE_GET_VL); vl > 0 && (vl & PR_SVE_VL_LEN_MASK) > 0)
    return {(vl & PR_SVE_VL_LEN_MASK) * 8, "prctl(PR_SVE_GET_VL): this process's length"};
#endif
  const char* path = "/proc/sys/abi/sve_default_vector_length";
  if (const auto text = read_text_file(path))
    if (const auto bits = sve_bits_from_default_length(*text))
      return {*bits, std::string(path) + ": the default length"};
  return {};
}

}  // namespace specgap
