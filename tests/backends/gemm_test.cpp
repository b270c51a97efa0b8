// The GEMM libraries and their output check. Every library runs every dtype it supports on small odd
// shapes and must pass the check; the check itself must fail on the ways a GEMM goes wrong (a wrong
// value, NaN or Inf, a C never written, a missing term of the sum, an int8 entry off by one).
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <ostream>
#include <string>
#include <vector>

#include "backends/cpu/gemm.h"
#include "backends/cpu/gemm_check.h"
#include "core/dtype.h"
#include "core/error.h"

namespace specgap::cpu {
namespace {

const Dtype kAllDtypes[] = {Dtype::fp64, Dtype::fp32, Dtype::tf32, Dtype::bf16,
                            Dtype::fp16, Dtype::fp8,  Dtype::fp4,  Dtype::int8};
// Odd sizes, so every library's edge handling runs; the last is past the small-matrix paths.
const GemmShape kShapes[] = {{1, 1, 1}, {7, 13, 5}, {33, 65, 17}, {129, 257, 131}};

std::string shape_name(GemmShape s) {
  return std::to_string(s.m) + "x" + std::to_string(s.n) + "x" + std::to_string(s.k);
}

// --- the libraries ---------------------------------------------------------------------------

struct LibraryCase {
  size_t library;  // index into gemm_libraries()
  Dtype dtype;
  GemmShape shape;
};

// How ctest names a case (gtest would print the bytes).
void PrintTo(const LibraryCase& c, std::ostream* os) {
  *os << "library " << c.library << " " << to_string(c.dtype) << " " << shape_name(c.shape);
}

class GemmLibraries : public testing::TestWithParam<LibraryCase> {};

TEST_P(GemmLibraries, SupportedDtypesPassTheCheck) {
  const auto [index, dtype, shape] = GetParam();
  const auto libraries = gemm_libraries();
  const GemmLibrary& lib = *libraries.at(index);
  const auto gemm = lib.prepare(dtype, shape, 2, 42);
  ASSERT_NE(gemm, nullptr);
  EXPECT_FALSE(gemm->kernel().empty());
  RecordProperty("kernel", gemm->kernel());
  // Twice: the check poisons C each time, so the second pass proves the second run wrote C again.
  EXPECT_EQ(gemm->run_and_check(64), "") << lib.name() << " " << to_string(dtype) << " " << shape_name(shape);
  gemm->run();
  EXPECT_EQ(gemm->run_and_check(64), "") << lib.name() << " " << to_string(dtype) << " " << shape_name(shape);
}

// Every dtype each library says it runs here; what it refuses is checked for a reason below.
std::vector<LibraryCase> library_cases() {
  std::vector<LibraryCase> out;
  const auto libraries = gemm_libraries();
  for (size_t i = 0; i < libraries.size(); ++i)
    for (Dtype d : kAllDtypes)
      if (!libraries[i]->unsupported(d))
        for (GemmShape s : kShapes) out.push_back({i, d, s});
  return out;
}

INSTANTIATE_TEST_SUITE_P(All, GemmLibraries, testing::ValuesIn(library_cases()),
                         [](const testing::TestParamInfo<LibraryCase>& info) {
                           std::string library = gemm_libraries().at(info.param.library)->name();
                           std::replace(library.begin(), library.end(), '-', '_');  // gtest names: [A-Za-z0-9_]
                           return library + "_" + std::string(to_string(info.param.dtype)) + "_" +
                                  shape_name(info.param.shape);
                         });

TEST(GemmLibraries, NamesVersionsAndReasons) {
  const auto libraries = gemm_libraries();
  ASSERT_EQ(libraries.size(), 3u);
  EXPECT_EQ(libraries[0]->name(), "onednn");
  EXPECT_EQ(libraries[1]->name(), "onednn-packed");
  EXPECT_EQ(libraries[2]->name(), "openblas");
  for (const auto& lib : libraries) {
    EXPECT_FALSE(lib->version().empty());
    EXPECT_NE(lib->version(), "unknown") << lib->name();
    EXPECT_TRUE(std::isdigit(static_cast<unsigned char>(lib->version()[0]))) << lib->version();
    for (Dtype d : kAllDtypes) {
      const auto why = lib->unsupported(d);
      if (why) {
        EXPECT_FALSE(why->empty()) << lib->name() << " " << to_string(d);
        EXPECT_EQ(why->find('\n'), std::string::npos) << *why;
      }
    }
  }
}

// So that the skips above can never hide everything: what every x86-64 CPU runs.
#if defined(__x86_64__)
TEST(GemmLibraries, BaselineDtypesAreSupportedOnX86) {
  const auto libraries = gemm_libraries();
  const auto& onednn = *libraries[0];
  const auto& openblas = *libraries[2];
  EXPECT_EQ(onednn.unsupported(Dtype::fp32), std::nullopt);
  EXPECT_EQ(onednn.unsupported(Dtype::int8), std::nullopt);
  EXPECT_EQ(openblas.unsupported(Dtype::fp64), std::nullopt);
  EXPECT_EQ(openblas.unsupported(Dtype::fp32), std::nullopt);
  // And what neither has on any CPU.
  EXPECT_NE(onednn.unsupported(Dtype::fp64), std::nullopt);
  EXPECT_NE(openblas.unsupported(Dtype::int8), std::nullopt);
}
#endif

TEST(GemmLibraries, PrepareRefusesWhatIsUnsupportedOrInvalid) {
  for (const auto& lib : gemm_libraries()) {
    for (Dtype d : kAllDtypes) {
      if (lib->unsupported(d)) {
        EXPECT_THROW(lib->prepare(d, {7, 13, 5}, 1, 1), Error) << lib->name() << " " << to_string(d);
      }
    }
    // fp32 runs in both; a bad shape or thread count is still an error, never a crash.
    EXPECT_THROW(lib->prepare(Dtype::fp32, {0, 13, 5}, 1, 1), Error) << lib->name();
    EXPECT_THROW(lib->prepare(Dtype::fp32, {7, 13, -1}, 1, 1), Error) << lib->name();
    EXPECT_THROW(lib->prepare(Dtype::fp32, {7, 13, 5}, 0, 1), Error) << lib->name();
  }
}

TEST(GemmInstance, TimeCallsRunsThatManyGemms) {
  struct Counting : GemmInstance {
    int runs = 0;
    void run() override { ++runs; }
    std::string run_and_check(int) override { return ""; }
    std::string kernel() const override { return "counting"; }
  } counting;
  EXPECT_GE(counting.time_calls(3), 0);
  EXPECT_EQ(counting.runs, 3);
}

// --- the operands --------------------------------------------------------------------------

// Element idx of A, B or C as a double, whatever the dtype stores.
double a_at(const GemmOperands& x, int64_t idx) {
  switch (x.dtype()) {
    case Dtype::fp64: return static_cast<const double*>(x.a())[idx];
    case Dtype::fp32: return static_cast<const float*>(x.a())[idx];
    case Dtype::bf16: return bf16_to_float(static_cast<const uint16_t*>(x.a())[idx]);
    case Dtype::fp16: return fp16_to_double(static_cast<const uint16_t*>(x.a())[idx]);
    case Dtype::int8: return static_cast<const uint8_t*>(x.a())[idx];
    default: return NAN;
  }
}
double b_at(const GemmOperands& x, int64_t idx) {
  switch (x.dtype()) {
    case Dtype::fp64: return static_cast<const double*>(x.b())[idx];
    case Dtype::fp32: return static_cast<const float*>(x.b())[idx];
    case Dtype::bf16: return bf16_to_float(static_cast<const uint16_t*>(x.b())[idx]);
    case Dtype::fp16: return fp16_to_double(static_cast<const uint16_t*>(x.b())[idx]);
    case Dtype::int8: return static_cast<const int8_t*>(x.b())[idx];
    default: return NAN;
  }
}
void set_c(const GemmOperands& x, int64_t idx, double v) {
  switch (x.dtype()) {
    case Dtype::fp64: static_cast<double*>(x.c())[idx] = v; break;
    case Dtype::int8: static_cast<int32_t*>(x.c())[idx] = static_cast<int32_t>(v); break;
    default: static_cast<float*>(x.c())[idx] = static_cast<float>(v); break;
  }
}
double get_c(const GemmOperands& x, int64_t idx) {
  switch (x.dtype()) {
    case Dtype::fp64: return static_cast<const double*>(x.c())[idx];
    case Dtype::int8: return static_cast<const int32_t*>(x.c())[idx];
    default: return static_cast<const float*>(x.c())[idx];
  }
}

// The right C, by the schoolbook loop, written into the operands (rounded to C's type once).
void write_correct_c(const GemmOperands& x) {
  const auto [m, n, k] = x.shape();
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) {
      double sum = 0;
      for (int64_t p = 0; p < k; ++p) sum += a_at(x, i * k + p) * b_at(x, p * n + j);
      set_c(x, i * n + j, sum);
    }
}

std::vector<GemmEntry> every_entry(GemmShape s) {
  std::vector<GemmEntry> out;
  for (int64_t i = 0; i < s.m; ++i)
    for (int64_t j = 0; j < s.n; ++j) out.push_back({i, j});
  return out;
}

struct StoredCase {
  Dtype dtype;
};
void PrintTo(StoredCase c, std::ostream* os) { *os << to_string(c.dtype); }

class GemmOperandsTest : public testing::TestWithParam<StoredCase> {};

TEST_P(GemmOperandsTest, InputsAreNonZeroInRangeAndReproducible) {
  const Dtype d = GetParam().dtype;
  const GemmShape s{33, 65, 17};
  const GemmOperands x(d, s, 7), same(d, s, 7), other(d, s, 8);
  const double lo = d == Dtype::int8 ? -128 : -1, hi = d == Dtype::int8 ? 127 : 1;
  for (int64_t idx = 0; idx < s.m * s.k; ++idx) {
    const double a = a_at(x, idx);
    EXPECT_NE(a, 0) << idx;
    EXPECT_TRUE(a >= lo && a <= hi) << a;
    if (d == Dtype::int8) {
      EXPECT_GT(a, 0) << "u8 A stays in [1, 127]";
    } else {
      EXPECT_GE(std::fabs(a), 0x1p-10) << a;
    }
  }
  for (int64_t idx = 0; idx < s.k * s.n; ++idx) EXPECT_NE(b_at(x, idx), 0) << idx;
  bool a_same = true, a_differs = false;
  for (int64_t idx = 0; idx < s.m * s.k; ++idx) {
    a_same = a_same && a_at(x, idx) == a_at(same, idx);
    a_differs = a_differs || a_at(x, idx) != a_at(other, idx);
  }
  EXPECT_TRUE(a_same) << "same seed, same inputs";
  EXPECT_TRUE(a_differs) << "another seed, other inputs";
  // C starts poisoned.
  EXPECT_NE(gemm_check(x.view(), {{0, 0}}), "");
}

TEST(GemmOperandsTest, HalfFormatsDecode) {
  EXPECT_EQ(bf16_to_float(0x3f80), 1.0f);
  EXPECT_EQ(bf16_to_float(0xc000), -2.0f);
  EXPECT_EQ(fp16_to_double(0x3c00), 1.0);
  EXPECT_EQ(fp16_to_double(0xbc00), -1.0);
  EXPECT_EQ(fp16_to_double(0x3555), 0x1.554p-2);  // 0.333251953125
  EXPECT_EQ(fp16_to_double(0x0001), 0x1p-24);     // smallest subnormal
  EXPECT_EQ(fp16_to_double(0x7bff), 65504.0);
  EXPECT_TRUE(std::isinf(fp16_to_double(0x7c00)));
  EXPECT_TRUE(std::isnan(fp16_to_double(0x7e00)));
}

TEST(GemmOperandsTest, RefusesFormatsWithoutAGemmAndBadShapes) {
  EXPECT_THROW(GemmOperands(Dtype::tf32, {1, 1, 1}, 1), Error);
  EXPECT_THROW(GemmOperands(Dtype::fp8, {1, 1, 1}, 1), Error);
  EXPECT_THROW(GemmOperands(Dtype::fp32, {1, 0, 1}, 1), Error);
  EXPECT_THROW(GemmOperands(Dtype::fp32, {int64_t(1) << 40, 1, 1}, 1), Error);
}

// --- the check -----------------------------------------------------------------------------

TEST_P(GemmOperandsTest, CheckPassesACorrectC) {
  for (GemmShape s : kShapes) {
    const GemmOperands x(GetParam().dtype, s, 3);
    write_correct_c(x);
    EXPECT_EQ(gemm_check(x.view(), every_entry(s)), "") << shape_name(s);
    EXPECT_EQ(gemm_check(x.view(), gemm_sample_entries(s, 16, 5)), "") << shape_name(s);
  }
}

TEST_P(GemmOperandsTest, CheckFailsAWrongValue) {
  const GemmShape s{7, 13, 5};
  const GemmOperands x(GetParam().dtype, s, 3);
  write_correct_c(x);
  const int64_t idx = 3 * s.n + 4;
  // An int8 entry off by one; a float one off by 0.001 and 0.1%, far beyond the bound (~1e-6 here).
  const double right = get_c(x, idx);
  set_c(x, idx, GetParam().dtype == Dtype::int8 ? right + 1 : right + 1e-3 * (1 + std::fabs(right)));
  const std::string why = gemm_check(x.view(), {{0, 0}, {3, 4}});
  EXPECT_NE(why.find("C[3,4] = "), std::string::npos) << why;
  EXPECT_NE(why.find("expected"), std::string::npos) << why;
  EXPECT_NE(why.find("1 of 2 sampled entries wrong"), std::string::npos) << why;
  EXPECT_EQ(why.find('\n'), std::string::npos) << why;
  // Only when sampled.
  EXPECT_EQ(gemm_check(x.view(), {{0, 0}, {3, 5}}), "");
}

TEST_P(GemmOperandsTest, CheckFailsASumMissingItsLargestTerm) {
  // The bound 2 k u sum|ab| lies below the largest term (at least sum|ab| / k) while k^2 < 1 / 2u:
  // a kernel that drops one step of the inner loop fails for any k below ~2900 in fp32.
  const GemmShape s{33, 65, 17};
  const GemmOperands x(GetParam().dtype, s, 11);
  write_correct_c(x);
  const int64_t i = 20, j = 40;
  double largest = 0;
  for (int64_t p = 0; p < s.k; ++p) {
    const double term = a_at(x, i * s.k + p) * b_at(x, p * s.n + j);
    if (std::fabs(term) > std::fabs(largest)) largest = term;
  }
  set_c(x, i * s.n + j, get_c(x, i * s.n + j) - largest);
  EXPECT_NE(gemm_check(x.view(), {{i, j}}), "");
}

TEST_P(GemmOperandsTest, CheckFailsAPoisonedC) {
  GemmOperands x(GetParam().dtype, {33, 65, 17}, 3);  // C as prepared: poisoned
  EXPECT_NE(gemm_check(x.view(), gemm_sample_entries(x.shape(), 8, 1)), "");
  write_correct_c(x);
  x.poison_c();
  for (const auto entry : every_entry(x.shape()))
    EXPECT_NE(gemm_check(x.view(), {entry}), "") << "C[" << entry.i << "," << entry.j << "] not poisoned";
}

// Floating-point results only: an int32 C has no NaN or Inf.
class GemmFloatOperandsTest : public testing::TestWithParam<StoredCase> {};

TEST_P(GemmFloatOperandsTest, CheckFailsNanAndInf) {
  const GemmShape s{7, 13, 5};
  const GemmOperands x(GetParam().dtype, s, 3);
  for (double bad : {std::numeric_limits<double>::quiet_NaN(), HUGE_VAL, -HUGE_VAL}) {
    write_correct_c(x);
    set_c(x, s.n - 1, bad);  // C[0, n-1], a corner every check samples
    const std::string why = gemm_check(x.view(), gemm_sample_entries(s, 0, 1));
    EXPECT_NE(why.find("C[0,12] = "), std::string::npos) << bad << ": " << why;
  }
}

// The dtypes a GEMM stores (gemm_check.h).
const StoredCase kStoredDtypes[] = {{Dtype::fp64}, {Dtype::fp32}, {Dtype::bf16}, {Dtype::fp16}, {Dtype::int8}};
const auto kDtypeName = [](const testing::TestParamInfo<StoredCase>& info) {
  return std::string(to_string(info.param.dtype));
};
INSTANTIATE_TEST_SUITE_P(Stored, GemmOperandsTest, testing::ValuesIn(kStoredDtypes), kDtypeName);
const StoredCase kFloatDtypes[] = {{Dtype::fp64}, {Dtype::fp32}, {Dtype::bf16}, {Dtype::fp16}};
INSTANTIATE_TEST_SUITE_P(Stored, GemmFloatOperandsTest, testing::ValuesIn(kFloatDtypes), kDtypeName);

TEST(GemmCheck, SampleEntriesAreTheCornersThenRandomOnesInside) {
  const GemmShape s{7, 13, 5};
  const auto entries = gemm_sample_entries(s, 100, 9);
  ASSERT_EQ(entries.size(), 104u);
  EXPECT_EQ(entries[0].i, 0);
  EXPECT_EQ(entries[0].j, 0);
  EXPECT_EQ(entries[1].j, 12);
  EXPECT_EQ(entries[2].i, 6);
  EXPECT_EQ(entries[3].i, 6);
  EXPECT_EQ(entries[3].j, 12);
  for (const auto [i, j] : entries) {
    EXPECT_TRUE(i >= 0 && i < s.m) << i;
    EXPECT_TRUE(j >= 0 && j < s.n) << j;
  }
  const auto again = gemm_sample_entries(s, 100, 9);
  EXPECT_TRUE(std::equal(entries.begin(), entries.end(), again.begin(),
                         [](GemmEntry a, GemmEntry b) { return a.i == b.i && a.j == b.j; }));
}

TEST(GemmCheck, Int8IsExact) {
  const GemmOperands x(Dtype::int8, {1, 1, 1}, 3);
  write_correct_c(x);
  set_c(x, 0, get_c(x, 0) - 1);
  EXPECT_NE(gemm_check(x.view(), {{0, 0}}).find("exactly"), std::string::npos);
}

}  // namespace
}  // namespace specgap::cpu
