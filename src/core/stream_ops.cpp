#include "core/stream_ops.h"

#include <cstddef>

namespace specgap {

const std::vector<StreamOpInfo>& all_stream_ops() {
  // In enum order: stream_op_info indexes by the enum's value.
  static const std::vector<StreamOpInfo> ops = {
      {StreamOp::copy, "copy", "c[i] = a[i]", 1, 1},
      {StreamOp::scale, "scale", "b[i] = s*c[i]", 1, 1},
      {StreamOp::add, "add", "c[i] = a[i] + b[i]", 2, 1},
      {StreamOp::triad, "triad", "a[i] = b[i] + s*c[i]", 2, 1},
      {StreamOp::read, "read", "sum += a[i]", 1, 0},
      {StreamOp::write, "write", "a[i] = s", 0, 1},
  };
  return ops;
}

const StreamOpInfo& stream_op_info(StreamOp op) { return all_stream_ops()[static_cast<size_t>(op)]; }

}  // namespace specgap
