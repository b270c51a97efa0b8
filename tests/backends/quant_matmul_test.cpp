#include "backends/cpu/quant_matmul.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "backends/cpu/quant_blocks.h"
#include "core/error.h"

namespace specgap::cpu {
namespace {

// GGUF-layout rows of random bytes with every scale field set to a finite fp16, so any byte pattern
// of the quants is a valid block.
std::vector<uint8_t> random_rows(GgmlType t, int64_t rows, int64_t cols, uint32_t seed) {
  const auto& tr = traits(t);
  std::vector<uint8_t> bytes(rows * cols / tr.block_elems * tr.block_bytes);
  std::mt19937 rng(seed);
  for (auto& b : bytes) b = static_cast<uint8_t>(rng());
  const uint16_t scale = 0x2000 + (rng() & 0x3FF);  // about 0.008
  auto put = [](uint8_t* p, uint16_t v) { std::memcpy(p, &v, 2); };
  if (t == GgmlType::f16 || t == GgmlType::bf16) {
    for (size_t i = 0; i + 1 < bytes.size(); i += 2) put(&bytes[i], static_cast<uint16_t>(t == GgmlType::f16 ? 0x2000 + (rng() & 0x3FFF) : 0x3C00 + (rng() & 0x3FF)));
  } else if (t == GgmlType::f32) {
    for (size_t i = 0; i < bytes.size(); i += 4) {
      float f = std::uniform_real_distribution<float>(-1, 1)(rng);
      std::memcpy(&bytes[i], &f, 4);
    }
  }
  for (size_t off = 0; off < bytes.size() && tr.block_elems > 1; off += tr.block_bytes) {
    switch (t) {
      case GgmlType::q4_0: case GgmlType::q8_0: put(&bytes[off], scale); break;
      case GgmlType::q4_k: put(&bytes[off], scale); put(&bytes[off + 2], scale - 0x100); break;
      case GgmlType::q6_k: put(&bytes[off + 208], scale); break;
      default: break;
    }
  }
  return bytes;
}

struct Case {
  GgmlType type;
  int64_t rows, cols;
};

class QuantMatmul : public ::testing::TestWithParam<Case> {};

// Every SIMD kernel this CPU runs gives the same bits as the portable one over the same packed bytes
// (quantised types) or agrees to float rounding (float types), for every tile width and a last group
// with missing rows. The quantised cases have enough groups (13) for decode's several streams and
// the groups left over after them.
TEST_P(QuantMatmul, EverySimdKernelMatchesPortable) {
  const auto [type, rows, cols] = GetParam();
  const auto src = random_rows(type, rows, cols, 7);
  std::vector<std::byte> packed(packed_bytes(type, rows, cols));
  const int64_t groups = (rows + kPackRows - 1) / kPackRows;
  pack_groups(type, src.data(), rows, cols, packed.data(), 0, groups);

  constexpr int64_t kTokens = 13;
  const size_t stride = act_row_bytes(type, cols);
  std::vector<std::byte> act(stride * kTokens);
  std::mt19937 rng(3);
  std::vector<float> x(cols);
  for (int64_t t = 0; t < kTokens; ++t) {
    for (auto& v : x) v = std::normal_distribution<float>(0, 1)(rng);
    quantize_act_row(type, x.data(), cols, act.data() + t * stride);
  }
  const auto ref = generic_matmul(type);
  auto kernels = simd_matmuls(type);
  if (kernels.empty()) GTEST_SKIP() << "no SIMD matmul kernel runs on this CPU";
  EXPECT_EQ(select_matmul(type).isa, kernels.front().isa) << "the fastest is the one selected";
  for (const auto& fast : kernels)
    for (int64_t n : {int64_t{1}, int64_t{2}, int64_t{5}, kTokens}) {
      std::vector<float> a(n * rows + 1, -1.0f), b(n * rows + 1, -1.0f);
      fast.fn(packed.data(), rows, cols, 0, groups, act.data(), stride, n, a.data(), rows);
      ref.fn(packed.data(), rows, cols, 0, groups, act.data(), stride, n, b.data(), rows);
      EXPECT_EQ(a.back(), -1.0f) << "wrote past the last row";
      for (int64_t i = 0; i < n * rows; ++i) {
        if (traits(type).block_elems > 1) {
          ASSERT_EQ(a[i], b[i]) << fast.isa << " " << to_string(type) << " n=" << n << " i=" << i;
        } else {
          ASSERT_NEAR(a[i], b[i], 1e-4 * (1 + std::fabs(b[i]))) << fast.isa << " " << to_string(type) << " i=" << i;
        }
      }
    }
}

INSTANTIATE_TEST_SUITE_P(Types, QuantMatmul,
                         ::testing::Values(Case{GgmlType::q4_0, 200, 256}, Case{GgmlType::q8_0, 200, 256},
                                           Case{GgmlType::q4_k, 200, 512}, Case{GgmlType::q6_k, 200, 512},
                                           Case{GgmlType::f32, 20, 64}, Case{GgmlType::f16, 20, 64},
                                           Case{GgmlType::bf16, 20, 64},
                                           // 12 groups, the last partial: decode's streams (2 or 3 per
                                           // core) split them evenly, so the partial one is in a stream.
                                           Case{GgmlType::q4_0, 184, 256}, Case{GgmlType::q8_0, 184, 256}),
                         [](const auto& info) {
                           return std::string(to_string(info.param.type)) + "_" + std::to_string(info.param.rows) + "_rows";
                         });

TEST(QuantMatmulTypes, RefusesTypesWithoutKernels) {
  EXPECT_FALSE(has_matmul(GgmlType::q5_k));
  EXPECT_THROW(packed_bytes(GgmlType::q5_k, 16, 256), Error);
}

}  // namespace
}  // namespace specgap::cpu

namespace specgap::cpu {
namespace {
// The SIMD activation quantiser gives the portable loop's bytes, ties and signs included.
TEST(QuantMatmulTypes, ActivationQuantisersMatchThePortableLoop) {
  std::mt19937 rng(5);
  std::vector<float> x(1024);
  for (auto& v : x) v = std::normal_distribution<float>(0, 3)(rng);
  x[7] = -50.0f;     // a block whose largest magnitude is negative
  x[10] = 50.0f;               // and a tie of opposite sign after it: the first one wins
  for (int i = 512; i < 768; ++i) x[i] = 0;  // an all-zero block
  for (int i = 64; i < 96; ++i) x[i] = (i % 3) * 0.5f;  // exact halves: round-to-even ties
  for (GgmlType t : {GgmlType::q4_0, GgmlType::q8_0, GgmlType::q4_k, GgmlType::q6_k}) {
    const size_t bytes = act_row_bytes(t, 1024);
    std::vector<std::byte> a(bytes), b(bytes);
    quantize_act_row(t, x.data(), 1024, a.data());
    quantize_act_row_portable(t, x.data(), 1024, b.data());
    EXPECT_EQ(0, std::memcmp(a.data(), b.data(), bytes)) << to_string(t);
  }
}
}  // namespace
}  // namespace specgap::cpu
