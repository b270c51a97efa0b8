#include "llm/embedding_table.h"

#include <cstring>

#include "backends/cpu/quant_reference.h"
#include "llm/engine_steps.h"

namespace specgap::llm {

EmbeddingTable::EmbeddingTable(TensorSource& source, int64_t n_embd, int64_t n_vocab, std::vector<cpu::Buffer>& storage)
    : width_(n_embd) {
  const TensorSpec embd = expect(source, "token_embd.weight", {static_cast<uint64_t>(n_embd), static_cast<uint64_t>(n_vocab)});
  type_ = embd.type;
  row_bytes_ = *ggml_row_bytes(embd.type, static_cast<uint64_t>(n_embd));
  storage.emplace_back(embd.bytes());
  cpu::Buffer& table = storage.back();
  source.read(embd.name, [&](const void* bytes) { std::memcpy(table.data(), bytes, embd.bytes()); });
  data_ = static_cast<const std::byte*>(table.data());
}

void EmbeddingTable::row(int32_t token, float* out) const {
  cpu::dequantize_row(type_, data_ + static_cast<size_t>(token) * row_bytes_, out, width_);
}

}  // namespace specgap::llm
