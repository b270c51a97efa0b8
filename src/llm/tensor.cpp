#include "llm/tensor.h"

namespace specgap::llm {

std::string shape_string(const TensorView& t) {
  std::string s;
  for (uint32_t i = 0; i < t.n_dims; ++i) {
    if (i) s += " x ";
    s += std::to_string(t.ne[i]);
  }
  return s.empty() ? "scalar" : s;
}

}  // namespace specgap::llm
