#pragma once
// The tensor element types of ggml and GGUF files, with the ids files store (reference/llm.md §2.1).
// One table gives each type's name, block size and bytes per block; a type id read from a file is
// looked up here, never used as an index.
#include <cstdint>
#include <optional>
#include <string_view>

namespace specgap {

enum class GgmlType : uint32_t {
  f32 = 0, f16 = 1, q4_0 = 2, q4_1 = 3, q5_0 = 6, q5_1 = 7, q8_0 = 8, q8_1 = 9,
  q2_k = 10, q3_k = 11, q4_k = 12, q5_k = 13, q6_k = 14, q8_k = 15,
  iq2_xxs = 16, iq2_xs = 17, iq3_xxs = 18, iq1_s = 19, iq4_nl = 20, iq3_s = 21, iq2_s = 22, iq4_xs = 23,
  i8 = 24, i16 = 25, i32 = 26, i64 = 27, f64 = 28, iq1_m = 29, bf16 = 30,
  tq1_0 = 34, tq2_0 = 35, mxfp4 = 39,
};

struct GgmlTypeTraits {
  GgmlType type;
  std::string_view name;  // as llama.cpp prints it: "q4_0", "f16", …
  uint32_t block_elems;   // elements per block (1 for plain types)
  uint32_t block_bytes;   // bytes per block
  bool computable;        // specgap has kernels for it (F32, F16, BF16, Q8_0, Q4_0, Q4_K, Q6_K)
};

// nullopt for an id no ggml build stores in files (unknown, removed, or past the table).
std::optional<GgmlTypeTraits> ggml_type_traits(uint32_t id);
const GgmlTypeTraits& traits(GgmlType t);
std::string_view to_string(GgmlType t);
std::optional<GgmlType> parse_ggml_type(std::string_view name);  // "q4_0", "Q4_0", "f16", …

// Bytes of one row of n elements; nullopt when n is not a whole number of blocks or the size overflows.
std::optional<uint64_t> ggml_row_bytes(GgmlType t, uint64_t n);

}  // namespace specgap
