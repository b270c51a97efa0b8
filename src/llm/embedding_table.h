#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "backends/cpu/buffer.h"
#include "core/ggml_type.h"
#include "llm/tensor_source.h"

namespace specgap::llm {

// The token embedding table, kept in its file layout: a token's row is dequantised when it is looked
// up, so a Q8_0 or MXFP4 table takes its file's bytes, not four per element.
class EmbeddingTable {
 public:
  EmbeddingTable() = default;
  // token_embd.weight, n_embd x n_vocab, read into a buffer added to `storage`.
  EmbeddingTable(TensorSource& source, int64_t n_embd, int64_t n_vocab, std::vector<cpu::Buffer>& storage);
  void row(int32_t token, float* out) const;  // n_embd floats
  size_t row_bytes() const { return row_bytes_; }

 private:
  GgmlType type_ = GgmlType::f32;
  const std::byte* data_ = nullptr;
  size_t row_bytes_ = 0;
  int64_t width_ = 0;
};

}  // namespace specgap::llm
