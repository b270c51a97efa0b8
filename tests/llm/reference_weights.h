#pragma once
// A tensor of a source dequantised to doubles, row by row: what the fp64 reference forward passes
// (reference_llama.h, reference_gpt_oss.h) multiply by.
#include <string>
#include <vector>

#include "backends/cpu/quant_reference.h"
#include "llm/tensor_source.h"

namespace specgap::llm::test {

inline std::vector<double> load_dequantized(TensorSource& s, const std::string& name) {
  const auto spec = *s.spec(name);
  uint64_t n = 1;
  for (auto d : spec.dims) n *= d;
  std::vector<double> out(n);
  std::vector<float> row(spec.dims[0]);
  s.read(name, [&](const void* data) {
    const auto row_bytes = *ggml_row_bytes(spec.type, spec.dims[0]);
    for (uint64_t r = 0; r < n / spec.dims[0]; ++r) {
      cpu::dequantize_row(spec.type, static_cast<const uint8_t*>(data) + r * row_bytes, row.data(), spec.dims[0]);
      for (uint64_t i = 0; i < spec.dims[0]; ++i) out[r * spec.dims[0] + i] = row[i];
    }
  });
  return out;
}

}  // namespace specgap::llm::test
