#include "backends/cpu/gemm_check.h"

#include <fmt/format.h>

#include <bit>
#include <cmath>
#include <limits>

#include "core/error.h"

namespace specgap::cpu {
namespace {

// Smallest input magnitude: above every format's subnormal range (fp16's starts below 2^-14).
constexpr double kMinMagnitude = 0x1p-10;

// splitmix64: fast, and the same sequence on every platform (unlike std:: distributions).
uint64_t next_random(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

// Uniform in [-1, 1), redrawn below kMinMagnitude, rounded to nearest with `bits` significant bits.
double draw(uint64_t& state, int bits) {
  for (;;) {
    const double x = static_cast<double>(next_random(state) >> 11) * 0x1p-52 - 1.0;
    if (std::fabs(x) < kMinMagnitude) continue;
    int e = 0;
    const double m = std::frexp(x, &e);
    return std::ldexp(std::nearbyint(std::ldexp(m, bits)), e - bits);
  }
}

template <class T, int Bits>
void fill_float(void* p, int64_t n, uint64_t& state) {
  for (int64_t i = 0; i < n; ++i) static_cast<T*>(p)[i] = static_cast<T>(draw(state, Bits));
}
void fill_bf16(void* p, int64_t n, uint64_t& state) {
  // A value with 8 significant bits is exact in the upper half of its fp32 encoding.
  for (int64_t i = 0; i < n; ++i) {
    const auto bits = std::bit_cast<uint32_t>(static_cast<float>(draw(state, 8)));
    static_cast<uint16_t*>(p)[i] = static_cast<uint16_t>(bits >> 16);
  }
}
void fill_fp16(void* p, int64_t n, uint64_t& state) {
  for (int64_t i = 0; i < n; ++i) {
    // 11 significant bits and normal in fp16: exact in fp32 and in fp16, so the encoding does not round.
    static_cast<uint16_t*>(p)[i] = float_to_fp16(static_cast<float>(draw(state, 11)));
  }
}
void fill_u8(void* p, int64_t n, uint64_t& state) {
  for (int64_t i = 0; i < n; ++i) static_cast<uint8_t*>(p)[i] = static_cast<uint8_t>(1 + next_random(state) % 127);
}
void fill_s8(void* p, int64_t n, uint64_t& state) {
  for (int64_t i = 0; i < n; ++i) {
    // [-127, 127] with 0 moved to -128: each nonzero s8 value alike.
    const auto v = static_cast<int>(next_random(state) % 255) - 127;
    static_cast<int8_t*>(p)[i] = static_cast<int8_t>(v == 0 ? -128 : v);
  }
}

template <class T>
double plain_at(const void* p, int64_t i) {
  return static_cast<double>(static_cast<const T*>(p)[i]);
}
double bf16_at(const void* p, int64_t i) { return bf16_to_float(static_cast<const uint16_t*>(p)[i]); }
double fp16_at(const void* p, int64_t i) { return fp16_to_double(static_cast<const uint16_t*>(p)[i]); }

template <class T>
void poison(void* p, int64_t n) {
  T value;
  if constexpr (std::numeric_limits<T>::has_quiet_NaN) value = std::numeric_limits<T>::quiet_NaN();
  else value = 0x7f7f7f7f;
  for (int64_t i = 0; i < n; ++i) static_cast<T*>(p)[i] = value;
}

}  // namespace

// One row per dtype a CPU GEMM takes: storage, how to fill and read it, and the check's constants.
struct GemmFormat {
  Dtype dtype;
  size_t a_bytes, b_bytes, c_bytes;
  void (*fill_a)(void*, int64_t, uint64_t&);
  void (*fill_b)(void*, int64_t, uint64_t&);
  double (*a_at)(const void*, int64_t);
  double (*b_at)(const void*, int64_t);
  double (*c_at)(const void*, int64_t);
  void (*poison_c)(void*, int64_t);
  double u;        // unit round-off of the accumulation; 0: exact
  double slack;    // absolute: the accumulation's smallest normal, for a library that flushes to zero
  int c_digits;    // significant digits that print C's type exactly
};

namespace {
constexpr GemmFormat kFormats[] = {
    {Dtype::fp64, 8, 8, 8, fill_float<double, 53>, fill_float<double, 53>, plain_at<double>, plain_at<double>,
     plain_at<double>, poison<double>, 0x1p-53, std::numeric_limits<double>::min(), 17},
    {Dtype::fp32, 4, 4, 4, fill_float<float, 24>, fill_float<float, 24>, plain_at<float>, plain_at<float>,
     plain_at<float>, poison<float>, 0x1p-24, std::numeric_limits<float>::min(), 9},
    {Dtype::bf16, 2, 2, 4, fill_bf16, fill_bf16, bf16_at, bf16_at, plain_at<float>, poison<float>, 0x1p-24,
     std::numeric_limits<float>::min(), 9},
    {Dtype::fp16, 2, 2, 4, fill_fp16, fill_fp16, fp16_at, fp16_at, plain_at<float>, poison<float>, 0x1p-24,
     std::numeric_limits<float>::min(), 9},
    {Dtype::int8, 1, 1, 4, fill_u8, fill_s8, plain_at<uint8_t>, plain_at<int8_t>, plain_at<int32_t>,
     poison<int32_t>, 0, 0, 10},
};

const GemmFormat& format_of(Dtype d) {
  for (const auto& f : kFormats)
    if (f.dtype == d) return f;
  throw Error(fmt::format("no CPU GEMM takes {}", to_string(d)));
}

// Bytes of a rows x cols matrix; sides are positive (checked). Buffer refuses what no machine has.
size_t matrix_bytes(int64_t rows, int64_t cols, size_t element) {
  size_t bytes = 0;
  if (__builtin_mul_overflow(static_cast<size_t>(rows), static_cast<size_t>(cols), &bytes) ||
      __builtin_mul_overflow(bytes, element, &bytes))
    throw Error(fmt::format("a {}x{} GEMM operand does not fit in memory", rows, cols));
  return bytes;
}

GemmShape checked(GemmShape s) {
  constexpr int64_t kMaxSide = std::numeric_limits<int32_t>::max();  // BLAS's int dimensions
  for (int64_t side : {s.m, s.n, s.k})
    if (side < 1 || side > kMaxSide)
      throw Error(fmt::format("GEMM shape {}x{}x{} (m x n x k): each side must be 1 to {}", s.m, s.n, s.k, kMaxSide));
  return s;
}
}  // namespace

std::vector<GemmEntry> gemm_sample_entries(GemmShape s, int samples, uint64_t seed) {
  std::vector<GemmEntry> out = {{0, 0}, {0, s.n - 1}, {s.m - 1, 0}, {s.m - 1, s.n - 1}};
  uint64_t state = seed;
  for (int i = 0; i < samples; ++i) {
    const auto row = static_cast<int64_t>(next_random(state) % static_cast<uint64_t>(s.m));
    const auto col = static_cast<int64_t>(next_random(state) % static_cast<uint64_t>(s.n));
    out.push_back({row, col});
  }
  return out;
}

std::string gemm_check(const GemmView& v, const std::vector<GemmEntry>& entries) {
  const GemmFormat& f = format_of(v.dtype);
  const auto [m, n, k] = v.shape;
  std::string first;
  size_t wrong = 0;
  for (const auto [i, j] : entries) {
    // Products of fp32, bf16, fp16 and int8 inputs are exact in fp64 and integer sums stay far below
    // 2^53, so the reference errs far less than the bound; fp64 inputs round here as much as in the
    // library, which the bound's factor 2 covers.
    double ref = 0, magnitude = 0;
    for (int64_t p = 0; p < k; ++p) {
      const double product = f.a_at(v.a, i * k + p) * f.b_at(v.b, p * n + j);
      ref += product;
      magnitude += std::fabs(product);
    }
    const double bound = 2 * static_cast<double>(k) * f.u * magnitude + f.slack;
    const double c = f.c_at(v.c, i * n + j);
    if (std::isfinite(c) && std::fabs(c - ref) <= bound) continue;
    if (wrong++ == 0) {
      first = fmt::format("C[{},{}] = {:.{}g}, expected {:.{}g}", i, j, c, f.c_digits, ref, f.c_digits);
      first += f.u == 0 ? " exactly" : fmt::format(" +- {:.3g}", bound);
    }
  }
  if (wrong == 0) return "";
  return fmt::format("{} ({} of {} sampled entries wrong)", first, wrong, entries.size());
}

GemmOperands::GemmOperands(Dtype d, GemmShape s, uint64_t seed)
    : format_(&format_of(d)), shape_(checked(s)), a_(matrix_bytes(s.m, s.k, format_->a_bytes)),
      b_(matrix_bytes(s.k, s.n, format_->b_bytes)), c_(matrix_bytes(s.m, s.n, format_->c_bytes)) {
  uint64_t state = seed;
  format_->fill_a(a_.data(), s.m * s.k, state);
  format_->fill_b(b_.data(), s.k * s.n, state);
  poison_c();
}

Dtype GemmOperands::dtype() const { return format_->dtype; }

void GemmOperands::poison_c() { format_->poison_c(c_.data(), shape_.m * shape_.n); }

}  // namespace specgap::cpu
