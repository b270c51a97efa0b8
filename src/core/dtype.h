#pragma once
// The number formats specgap measures, spelled as the result record spells them (DESIGN.md:
// fp64 fp32 tf32 bf16 fp16 fp8 fp4 int8).
#include <optional>
#include <string_view>

namespace specgap {

enum class Dtype { fp64, fp32, tf32, bf16, fp16, fp8, fp4, int8 };

std::string_view to_string(Dtype d);
std::optional<Dtype> parse_dtype(std::string_view name);  // nullopt for an unknown name

// Integer formats count operations (TOP/s), floating-point ones FLOPs (TFLOP/s).
inline bool is_integer(Dtype d) { return d == Dtype::int8; }

}  // namespace specgap
