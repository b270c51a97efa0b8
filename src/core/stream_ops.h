#pragma once
// The STREAM-style memory operations every device measures, as data: the arrays each reads and
// writes decide the bytes STREAM counts (DESIGN.md, Measuring). Device-independent: the CPU's
// kernels and a GPU's shaders implement the same six.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace specgap {

enum class StreamOp { copy, scale, add, triad, read, write };

struct StreamOpInfo {
  StreamOp op;
  const char* name;
  const char* formula;  // over arrays a, b, c and the scalar s
  int arrays_read;
  int arrays_written;
};
const StreamOpInfo& stream_op_info(StreamOp op);
const std::vector<StreamOpInfo>& all_stream_ops();

// The scalar every op's formula uses (STREAM's 3.0).
inline constexpr double kStreamScalar = 3.0;

// Bytes an op moves over n elements of `element_bytes` each, by STREAM's counting: the arrays named
// in the formula, once each; write-allocate traffic is not counted.
inline uint64_t stream_bytes(StreamOp op, uint64_t elements, uint64_t element_bytes = 8) {
  const auto& info = stream_op_info(op);
  return uint64_t(info.arrays_read + info.arrays_written) * elements * element_bytes;
}

}  // namespace specgap
