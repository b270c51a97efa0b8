#include <gtest/gtest.h>

#include "core/dtype.h"

namespace specgap {
namespace {

TEST(Dtype, NamesRoundTrip) {
  for (Dtype d : {Dtype::fp64, Dtype::fp32, Dtype::tf32, Dtype::bf16, Dtype::fp16, Dtype::fp8, Dtype::fp4, Dtype::int8})
    EXPECT_EQ(parse_dtype(to_string(d)), d) << to_string(d);
}

TEST(Dtype, UnknownNamesAreRefused) {
  EXPECT_FALSE(parse_dtype("float"));
  EXPECT_FALSE(parse_dtype(""));
  EXPECT_FALSE(parse_dtype("FP32"));
}

TEST(Dtype, OnlyIntegersCountOperations) {
  EXPECT_TRUE(is_integer(Dtype::int8));
  EXPECT_FALSE(is_integer(Dtype::bf16));
}

}  // namespace
}  // namespace specgap
