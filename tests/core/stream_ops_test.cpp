// STREAM's byte counting and the op table every device shares.
#include <gtest/gtest.h>

#include "core/stream_ops.h"

namespace specgap {
namespace {

TEST(StreamBytes, CountsEightBytesPerArrayInTheFormula) {
  EXPECT_EQ(stream_bytes(StreamOp::copy, 1), 16u);
  EXPECT_EQ(stream_bytes(StreamOp::scale, 1), 16u);
  EXPECT_EQ(stream_bytes(StreamOp::add, 1), 24u);
  EXPECT_EQ(stream_bytes(StreamOp::triad, 1), 24u);
  EXPECT_EQ(stream_bytes(StreamOp::read, 1), 8u);
  EXPECT_EQ(stream_bytes(StreamOp::write, 1), 8u);
  EXPECT_EQ(stream_bytes(StreamOp::triad, 1000), 24'000u);
  EXPECT_EQ(stream_bytes(StreamOp::copy, 0), 0u);
}
TEST(StreamBytes, CountsTheElementWidthAGpuUses) {
  EXPECT_EQ(stream_bytes(StreamOp::triad, 1000, 4), 12'000u);
  EXPECT_EQ(stream_bytes(StreamOp::read, 10, 4), 40u);
}

}  // namespace
}  // namespace specgap
