#pragma once
// A tensor as the engine sees it: a name, a ggml type, up to four dimensions (ne[0] contiguous, as
// ggml orders them) and a read-only view of its bytes, owned by a mapped file or a preset's memory.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/ggml_type.h"

namespace specgap::llm {

struct TensorView {
  std::string name;
  GgmlType type = GgmlType::f32;
  uint32_t n_dims = 0;
  std::array<uint64_t, 4> ne{1, 1, 1, 1};  // dims not stored are 1
  const std::byte* data = nullptr;
  uint64_t bytes = 0;

  uint64_t elements() const { return ne[0] * ne[1] * ne[2] * ne[3]; }
  uint64_t rows() const { return ne[1] * ne[2] * ne[3]; }
};

// "4096 x 14336": the stored dims, ne[0] first.
std::string shape_string(const TensorView& t);

}  // namespace specgap::llm
