#pragma once
// The working-set sweep's STREAM kernels on the CPU: one variant over the first elements of the
// arrays, several passes per repetition on the team, each pass split over the members as STREAM does.
#include <string>
#include <vector>

#include "backends/cpu/stream_arrays.h"
#include "backends/cpu/thread_team.h"
#include "backends/device.h"

namespace specgap::cpu {

// The sweep's default variant of `op`: the widest ISA's temporal-store variant (not libc's, which
// may switch to non-temporal stores on its own above a size), else the reference.
std::string preferred_variant(StreamOp op);

// Spans are whole 64-element blocks per member, so no member pays for scalar tails.
inline size_t span_block(const ThreadTeam& team) { return 64 * team.size(); }

// The variants of `op` (those in `impls` when not empty) over span.elements of `arrays`; the arrays,
// team and sums outlive the kernels. Throws specgap::Error for a span that is not whole blocks
// within the arrays.
backends::Kernels span_kernels(StreamOp op, const std::vector<std::string>& impls, const backends::StreamSpan& span,
                               StreamArrays& arrays, ThreadTeam& team, std::vector<PaddedSum>& sums);

}  // namespace specgap::cpu
