#include "core/ggml_type.h"

#include <gtest/gtest.h>

namespace specgap {
namespace {

TEST(GgmlType, BlockSizesMatchGgml) {
  EXPECT_EQ(traits(GgmlType::q4_0).block_elems, 32u);
  EXPECT_EQ(traits(GgmlType::q4_0).block_bytes, 18u);
  EXPECT_EQ(traits(GgmlType::q8_0).block_bytes, 34u);
  EXPECT_EQ(traits(GgmlType::q4_k).block_bytes, 144u);
  EXPECT_EQ(traits(GgmlType::q6_k).block_bytes, 210u);
  EXPECT_EQ(traits(GgmlType::bf16).block_bytes, 2u);
}

TEST(GgmlType, RemovedAndUnknownIdsAreRefused) {
  for (uint32_t id : {4u, 5u, 31u, 32u, 33u, 36u, 37u, 38u, 43u, 1000u, 0xFFFFFFFFu})
    EXPECT_FALSE(ggml_type_traits(id).has_value()) << id;
  ASSERT_TRUE(ggml_type_traits(14).has_value());
  EXPECT_EQ(ggml_type_traits(14)->name, "q6_k");
}

TEST(GgmlType, EveryEnumeratorHasItsOwnRow) {
  for (uint32_t id = 0; id < 64; ++id)
    if (auto t = ggml_type_traits(id)) {
      EXPECT_EQ(static_cast<uint32_t>(traits(t->type).type), id);
    }
}

TEST(GgmlType, ParsesNamesInEitherCase) {
  EXPECT_EQ(parse_ggml_type("Q4_K"), GgmlType::q4_k);
  EXPECT_EQ(parse_ggml_type("f16"), GgmlType::f16);
  EXPECT_FALSE(parse_ggml_type("q4_0_4_4").has_value());
}

TEST(GgmlType, RowBytesNeedWholeBlocksAndNoOverflow) {
  EXPECT_EQ(ggml_row_bytes(GgmlType::q4_0, 4096), 4096u / 32 * 18);
  EXPECT_FALSE(ggml_row_bytes(GgmlType::q4_k, 4000).has_value());
  EXPECT_FALSE(ggml_row_bytes(GgmlType::f32, uint64_t{1} << 63).has_value());
}

}  // namespace
}  // namespace specgap
