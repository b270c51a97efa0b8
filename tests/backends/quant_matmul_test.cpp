#include "backends/cpu/quant_matmul.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "backends/cpu/quant_blocks.h"
#include "backends/cpu/quant_reference.h"
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
      // E8M0 exponents 120..127 (scales 2^-8..2^-1), and in every seventh block 0 or 1: the subnormal scales.
      case GgmlType::mxfp4: bytes[off] = (off / tr.block_bytes) % 7 == 0 ? (off / tr.block_bytes) % 2 : 120 + rng() % 8; break;
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
// (quantised types) or agrees to float rounding (float types), for every tile width (x86's tiles of up
// to 8 tokens and Arm's of up to 4 each meet 1 to 7 among these counts) and a last group with missing
// rows. The quantised cases have enough groups (13) for decode's several streams and the groups left
// over after them.
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
    for (int64_t n : {int64_t{1}, int64_t{2}, int64_t{5}, int64_t{7}, kTokens}) {
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
                                           Case{GgmlType::q4_0, 184, 256}, Case{GgmlType::q8_0, 184, 256},
                                           Case{GgmlType::mxfp4, 200, 256}, Case{GgmlType::mxfp4, 184, 512}),
                         [](const auto& info) {
                           return std::string(to_string(info.param.type)) + "_" + std::to_string(info.param.rows) + "_rows";
                         });

// The portable kernel over the packed layout computes what llama.cpp's CPU path does on the GGUF
// blocks (quant_reference.h's integer dot products against Q8_0 activations), to its last roundings,
// in both weight codings (whichever this machine's architecture uses): the packing, the offsets that
// make weights unsigned and the biases that take them off are right.
TEST(QuantMatmulTypes, PortableKernelIsTheReferenceDotOfTheGgufBlocks) {
  constexpr int64_t kRows = 20, kCols = 512;
  for (WeightCoding coding : {WeightCoding::unsigned_bytes, WeightCoding::signed_bytes}) {
    for (GgmlType t : {GgmlType::q4_0, GgmlType::q8_0, GgmlType::mxfp4}) {
      const auto src = random_rows(t, kRows, kCols, 11);
      std::vector<std::byte> packed(packed_bytes(t, kRows, kCols));
      pack_groups(t, src.data(), kRows, kCols, packed.data(), 0, 2, coding);
      std::mt19937 rng(9);
      std::vector<float> x(kCols);
      for (auto& v : x) v = std::normal_distribution<float>(0, 1)(rng);
      std::vector<std::byte> act(act_row_bytes(t, kCols));
      quantize_act_row_portable(t, x.data(), kCols, act.data(), coding);
      // The same activations as ggml's Q8_0 blocks (their scale is an fp16 value already).
      std::vector<BlockQ8_0> q8(kCols / 32);
      const auto* a = reinterpret_cast<const ActQ8x32*>(act.data());
      for (size_t b = 0; b < q8.size(); ++b) {
        q8[b].d = float_to_fp16(a[b].d);
        ASSERT_EQ(fp16_to_float(q8[b].d), a[b].d);
        std::memcpy(q8[b].qs, a[b].qs, 32);
      }
      std::vector<float> out(kRows);
      generic_matmul(t, coding).fn(packed.data(), kRows, kCols, 0, 2, act.data(), act.size(), 1, out.data(), kRows);
      const size_t row_bytes = kCols / 32 * traits(t).block_bytes;
      for (int64_t r = 0; r < kRows; ++r) {
        const uint8_t* w = src.data() + r * row_bytes;
        const float want = t == GgmlType::q4_0 ? vec_dot_q4_0_q8_0(kCols, reinterpret_cast<const BlockQ4_0*>(w), q8.data())
                           : t == GgmlType::q8_0 ? vec_dot_q8_0_q8_0(kCols, reinterpret_cast<const BlockQ8_0*>(w), q8.data())
                                                 : vec_dot_mxfp4_q8_0(kCols, reinterpret_cast<const BlockMXFP4*>(w), q8.data());
        // Per-block float roundings of the portable kernel (16 blocks): well within 1e-5 relative to
        // the row's blocks, whose magnitudes are alike here.
        ASSERT_NEAR(out[r], want, 1e-5 * (1 + std::fabs(want)) + 1e-30)
            << to_string(t) << " row " << r << (coding == WeightCoding::signed_bytes ? " signed" : " unsigned");
      }
    }
  }
}

// The largest products the formats allow, all of one sign, so that any 16-bit partial sum a SIMD
// kernel keeps would overflow if it summed too far (MXFP4: 2 x 24 x 127 per pair of columns).
TEST(QuantMatmulTypes, ExtremeBlocksMatchThePortableKernel) {
  constexpr int64_t kRows = 48, kCols = 256;
  for (GgmlType t : {GgmlType::q4_0, GgmlType::q8_0, GgmlType::mxfp4}) {
    auto src = random_rows(t, kRows, kCols, 5);
    const auto& tr = traits(t);
    for (size_t off = 0; off < src.size(); off += tr.block_bytes) {
      const bool negative = (off / tr.block_bytes) % 3 == 1;  // some blocks of the other sign
      if (t == GgmlType::q4_0) std::memset(&src[off + 2], negative ? 0x00 : 0xFF, 16);      // +7 or -8
      if (t == GgmlType::q8_0) std::memset(&src[off + 2], negative ? 0x81 : 0x7F, 32);      // +-127
      if (t == GgmlType::mxfp4) std::memset(&src[off + 1], negative ? 0xFF : 0x77, 16);     // +-6
    }
    std::vector<std::byte> packed(packed_bytes(t, kRows, kCols));
    pack_groups(t, src.data(), kRows, kCols, packed.data(), 0, 3);
    const std::vector<float> x(kCols, 1.0f);  // every activation quantised to +127
    std::vector<std::byte> act(act_row_bytes(t, kCols) * 9);
    for (int tok = 0; tok < 9; ++tok) quantize_act_row(t, x.data(), kCols, act.data() + tok * act_row_bytes(t, kCols));
    for (const auto& fast : simd_matmuls(t))
      for (int64_t n : {int64_t{1}, int64_t{9}}) {
        std::vector<float> a(n * kRows), b(n * kRows);
        fast.fn(packed.data(), kRows, kCols, 0, 3, act.data(), act_row_bytes(t, kCols), n, a.data(), kRows);
        generic_matmul(t).fn(packed.data(), kRows, kCols, 0, 3, act.data(), act_row_bytes(t, kCols), n, b.data(), kRows);
        for (int64_t i = 0; i < n * kRows; ++i)
          ASSERT_EQ(a[i], b[i]) << fast.isa << " " << to_string(t) << " n=" << n << " i=" << i;
      }
  }
}

// Every E8M0 exponent a kernel takes (0..254: the subnormal scales, 1.0, and up to 2^126), one block
// per row so that nothing adds two scales: each SIMD kernel's conversion gives the portable kernel's
// bits, infinities of the products that overflow included.
TEST(QuantMatmulTypes, EveryMxfp4ScaleGivesThePortableKernelsBits) {
  constexpr int64_t kRows = 255, kCols = 32, kGroups = (kRows + 15) / 16;
  auto src = random_rows(GgmlType::mxfp4, kRows, kCols, 9);
  for (int64_t r = 0; r < kRows; ++r) src[r * sizeof(BlockMXFP4)] = static_cast<uint8_t>(r);
  std::vector<std::byte> packed(packed_bytes(GgmlType::mxfp4, kRows, kCols));
  pack_groups(GgmlType::mxfp4, src.data(), kRows, kCols, packed.data(), 0, kGroups);
  std::mt19937 rng(3);
  std::vector<float> x(9 * kCols);
  for (float& v : x) v = std::uniform_real_distribution<float>(-4, 4)(rng);
  const size_t stride = act_row_bytes(GgmlType::mxfp4, kCols);
  std::vector<std::byte> act(stride * 9);
  for (int tok = 0; tok < 9; ++tok) quantize_act_row(GgmlType::mxfp4, x.data() + tok * kCols, kCols, act.data() + tok * stride);
  for (const auto& fast : simd_matmuls(GgmlType::mxfp4))
    for (int64_t n : {int64_t{1}, int64_t{9}}) {
      std::vector<float> a(n * kRows), b(n * kRows);
      fast.fn(packed.data(), kRows, kCols, 0, kGroups, act.data(), stride, n, a.data(), kRows);
      generic_matmul(GgmlType::mxfp4).fn(packed.data(), kRows, kCols, 0, kGroups, act.data(), stride, n, b.data(), kRows);
      for (int64_t i = 0; i < n * kRows; ++i)
        ASSERT_EQ(std::memcmp(&a[i], &b[i], sizeof(float)), 0)
            << fast.isa << " n=" << n << " exponent " << i % kRows << ": " << a[i] << " vs " << b[i];
    }
}

// E8M0's code 0xFF is NaN: packing refuses it with what it is, rather than read it as some scale.
TEST(QuantMatmulTypes, AnMxfp4ScaleOfNaNIsRefused) {
  auto src = random_rows(GgmlType::mxfp4, 16, 64, 4);
  src[sizeof(BlockMXFP4) * (3 * 2 + 1)] = 0xFF;  // row 3, second block
  std::vector<std::byte> packed(packed_bytes(GgmlType::mxfp4, 16, 64));
  try {
    pack_groups(GgmlType::mxfp4, src.data(), 16, 64, packed.data(), 0, 1);
    FAIL() << "packed a NaN scale";
  } catch (const InvalidWeights& e) {
    EXPECT_STREQ(e.what(), "an MXFP4 block scale is 0xFF, which E8M0 defines as NaN");
  }
}

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
  for (GgmlType t : {GgmlType::q4_0, GgmlType::q8_0, GgmlType::mxfp4, GgmlType::q4_k, GgmlType::q6_k}) {
    const size_t bytes = act_row_bytes(t, 1024);
    std::vector<std::byte> a(bytes), b(bytes);
    quantize_act_row(t, x.data(), 1024, a.data());
    quantize_act_row_portable(t, x.data(), 1024, b.data());
    EXPECT_EQ(0, std::memcmp(a.data(), b.data(), bytes)) << to_string(t);
  }
}
}  // namespace
}  // namespace specgap::cpu
