#include "core/ggml_type.h"

#include <array>
#include <cctype>
#include <string>

namespace specgap {
namespace {
// Block sizes and bytes from ggml's type_traits and block structs (reference/llm.md §2.1).
constexpr std::array<GgmlTypeTraits, 32> kTypes{{
    {GgmlType::f32, "f32", 1, 4, true},          {GgmlType::f16, "f16", 1, 2, true},
    {GgmlType::q4_0, "q4_0", 32, 18, true},      {GgmlType::q4_1, "q4_1", 32, 20, false},
    {GgmlType::q5_0, "q5_0", 32, 22, false},     {GgmlType::q5_1, "q5_1", 32, 24, false},
    {GgmlType::q8_0, "q8_0", 32, 34, true},      {GgmlType::q8_1, "q8_1", 32, 36, false},
    {GgmlType::q2_k, "q2_k", 256, 84, false},    {GgmlType::q3_k, "q3_k", 256, 110, false},
    {GgmlType::q4_k, "q4_k", 256, 144, true},    {GgmlType::q5_k, "q5_k", 256, 176, false},
    {GgmlType::q6_k, "q6_k", 256, 210, true},    {GgmlType::q8_k, "q8_k", 256, 292, false},
    {GgmlType::iq2_xxs, "iq2_xxs", 256, 66, false}, {GgmlType::iq2_xs, "iq2_xs", 256, 74, false},
    {GgmlType::iq3_xxs, "iq3_xxs", 256, 98, false}, {GgmlType::iq1_s, "iq1_s", 256, 50, false},
    {GgmlType::iq4_nl, "iq4_nl", 32, 18, false}, {GgmlType::iq3_s, "iq3_s", 256, 110, false},
    {GgmlType::iq2_s, "iq2_s", 256, 82, false},  {GgmlType::iq4_xs, "iq4_xs", 256, 136, false},
    {GgmlType::i8, "i8", 1, 1, false},           {GgmlType::i16, "i16", 1, 2, false},
    {GgmlType::i32, "i32", 1, 4, false},         {GgmlType::i64, "i64", 1, 8, false},
    {GgmlType::f64, "f64", 1, 8, false},         {GgmlType::iq1_m, "iq1_m", 256, 56, false},
    {GgmlType::bf16, "bf16", 1, 2, true},        {GgmlType::tq1_0, "tq1_0", 256, 54, false},
    {GgmlType::tq2_0, "tq2_0", 256, 66, false},  {GgmlType::mxfp4, "mxfp4", 32, 17, false},
}};
}  // namespace

std::optional<GgmlTypeTraits> ggml_type_traits(uint32_t id) {
  for (const auto& t : kTypes)
    if (static_cast<uint32_t>(t.type) == id) return t;
  return std::nullopt;
}

const GgmlTypeTraits& traits(GgmlType type) {
  for (const auto& t : kTypes)
    if (t.type == type) return t;
  return kTypes[0];  // unreachable: every enumerator has a row (tested)
}

std::string_view to_string(GgmlType t) { return traits(t).name; }

std::optional<GgmlType> parse_ggml_type(std::string_view name) {
  std::string lower(name);
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const auto& t : kTypes)
    if (t.name == lower) return t.type;
  return std::nullopt;
}

std::optional<uint64_t> ggml_row_bytes(GgmlType type, uint64_t n) {
  const auto& t = traits(type);
  if (n % t.block_elems != 0) return std::nullopt;
  uint64_t bytes = 0;
  if (__builtin_mul_overflow(n / t.block_elems, uint64_t{t.block_bytes}, &bytes)) return std::nullopt;
  return bytes;
}

}  // namespace specgap
