#include "backends/cpu/peak_check.h"

#include <cmath>
#include <cstring>

#include <fmt/format.h>

#include "backends/cpu/gemm_check.h"  // fp16_to_double

namespace specgap::cpu {
namespace {

// Start and per-instruction step of every lane, per dtype (see the operands below).
struct ClosedForm {
  double acc0;
  double step;
  double exact_limit;  // |acc0 + n*step| must stay below this for the sum to be exact
};

ClosedForm closed_form(Dtype d) {
  switch (d) {
    case Dtype::fp64: return {1.0, 1.5, 0x1p51};   // x.5 values are exact below 2^52
    case Dtype::fp32: return {1.0, 1.5, 0x1p22};   // and below 2^23 in fp32
    case Dtype::bf16: return {1.0, 3.5, 0x1p22};   // fp32 accumulators: 0.5*3 + 2*1 per lane
    case Dtype::fp16: return {1.0, 1.0, 2048.0};   // fp16 counts exactly up to 2048
    case Dtype::int8: return {1000.0, -52.0, 0x1p31};  // int32 accumulators: 200*-1 + 7*3 + 1*-128 + 255*1
    default: return {0, 0, 0};
  }
}

template <class T>
void fill(unsigned char* block, T value) {
  for (size_t i = 0; i < 64 / sizeof(T); ++i) std::memcpy(block + i * sizeof(T), &value, sizeof(T));
}

// One 32-bit lane of two 16-bit values, low half first (the order dot-product instructions pair them).
uint32_t pair(uint16_t lo, uint16_t hi) { return static_cast<uint32_t>(hi) << 16 | lo; }

// The lane values of accumulator bytes, as doubles.
double lane_value(Dtype d, const unsigned char* p, size_t lane) {
  switch (d) {
    case Dtype::fp64: { double v; std::memcpy(&v, p + lane * 8, 8); return v; }
    case Dtype::fp32:
    case Dtype::bf16: { float v; std::memcpy(&v, p + lane * 4, 4); return v; }
    case Dtype::int8: { int32_t v; std::memcpy(&v, p + lane * 4, 4); return v; }
    case Dtype::fp16: { uint16_t v; std::memcpy(&v, p + lane * 2, 2); return fp16_to_double(v); }
    default: return NAN;
  }
}

size_t lane_bytes(Dtype d) {
  switch (d) {
    case Dtype::fp64: return 8;
    case Dtype::fp16: return 2;
    default: return 4;
  }
}

}  // namespace

PeakOperands peak_operands(Dtype d) {
  PeakOperands ops{};
  switch (d) {
    case Dtype::fp64: fill(ops.acc0, 1.0); fill(ops.a, 0.5); fill(ops.b, 3.0); break;
    case Dtype::fp32: fill(ops.acc0, 1.0f); fill(ops.a, 0.5f); fill(ops.b, 3.0f); break;
    case Dtype::bf16:
      // bf16 is the top half of an fp32: 0.5 = 0x3f00, 2.0 = 0x4000, 3.0 = 0x4040, 1.0 = 0x3f80.
      fill(ops.acc0, 1.0f);
      fill(ops.a, pair(0x3f00, 0x4000));
      fill(ops.b, pair(0x4040, 0x3f80));
      break;
    case Dtype::fp16:
      fill(ops.acc0, uint16_t{0x3c00});  // 1.0
      fill(ops.a, uint16_t{0x3800});     // 0.5
      fill(ops.b, uint16_t{0x4000});     // 2.0
      break;
    case Dtype::int8: {
      fill(ops.acc0, int32_t{1000});
      // VPDPBUSD reads the first operand unsigned, SDOT and SMMLA read it signed: 200 and 255 read
      // as -56 and -1 lose 256 each, and their partners -1 and 1 cancel that, so the step is -52 both ways.
      const uint8_t u[4] = {200, 7, 1, 255};  // unsigned operand
      const int8_t s[4] = {-1, 3, -128, 1};   // signed operand
      uint32_t ua, sb;
      std::memcpy(&ua, u, 4);
      std::memcpy(&sb, s, 4);
      fill(ops.a, ua);
      fill(ops.b, sb);
      break;
    }
    default: break;
  }
  return ops;
}

uint64_t peak_max_exact_iterations(Dtype d, int groups_per_lane) {
  const ClosedForm f = closed_form(d);
  if (f.step == 0 || groups_per_lane < 1) return 0;
  return static_cast<uint64_t>((f.exact_limit - std::fabs(f.acc0)) / std::fabs(f.step * groups_per_lane)) - 1;
}

uint64_t peak_max_exact_iterations(const PeakKernelEntry& k) {
  return peak_max_exact_iterations(k.dtype, k.groups_per_lane);
}

double peak_expected_lane(Dtype d, uint64_t iterations, int groups_per_lane) {
  const ClosedForm f = closed_form(d);
  return f.acc0 + static_cast<double>(iterations) * f.step * groups_per_lane;
}

std::string check_peak_output(const PeakKernelEntry& k, uint64_t iterations, const void* out) {
  if (iterations > peak_max_exact_iterations(k))
    return fmt::format("{} iterations exceed the {} exact for {} {}", iterations, peak_max_exact_iterations(k),
                       to_string(k.dtype), k.impl);
  const double expected = peak_expected_lane(k.dtype, iterations, k.groups_per_lane);
  const size_t vector_bytes = static_cast<size_t>(k.vector_bits) / 8;
  const size_t lanes = vector_bytes / lane_bytes(k.dtype);
  const auto* bytes = static_cast<const unsigned char*>(out);
  for (int acc = 0; acc < k.accumulators; ++acc) {
    for (size_t lane = 0; lane < lanes; ++lane) {
      const double got = lane_value(k.dtype, bytes + acc * vector_bytes, lane);
      if (got != expected)
        return fmt::format("{} {}: accumulator {} lane {} holds {}, expected {} after {} iterations",
                           to_string(k.dtype), k.impl, acc, lane, got, expected, iterations);
    }
  }
  return "";
}

}  // namespace specgap::cpu
