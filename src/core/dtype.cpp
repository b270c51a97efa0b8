#include "core/dtype.h"

#include <array>
#include <utility>

namespace specgap {
namespace {
constexpr std::array<std::pair<Dtype, std::string_view>, 8> kNames{{
    {Dtype::fp64, "fp64"}, {Dtype::fp32, "fp32"}, {Dtype::tf32, "tf32"}, {Dtype::bf16, "bf16"},
    {Dtype::fp16, "fp16"}, {Dtype::fp8, "fp8"},   {Dtype::fp4, "fp4"},   {Dtype::int8, "int8"},
}};
}  // namespace

std::string_view to_string(Dtype d) {
  for (const auto& [dtype, name] : kNames)
    if (dtype == d) return name;
  return "unknown";
}

std::optional<Dtype> parse_dtype(std::string_view name) {
  for (const auto& [dtype, spelled] : kNames)
    if (spelled == name) return dtype;
  return std::nullopt;
}

}  // namespace specgap
