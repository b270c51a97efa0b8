#include "backends/cpu/stream_span.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.h"

namespace specgap::cpu {
namespace {
// More passes than this would mean a pass under 2 ns: a clock that went wrong, not a fast kernel.
constexpr int64_t kMostPasses = int64_t(1) << 20;

class SpanKernel final : public backends::Kernel {
 public:
  SpanKernel(MemKernel kernel, StreamArrays& arrays, ThreadTeam& team, std::vector<PaddedSum>& sums,
             const backends::StreamSpan& span)
      : kernel_(std::move(kernel)), arrays_(arrays), team_(team), sums_(sums), span_(span) {}
  std::string impl() const override { return kernel_.impl; }
  nlohmann::json about() const override { return {{"isa", kernel_.isa}, {"nontemporal", kernel_.nontemporal}}; }
  double work() const override { return double(stream_bytes(kernel_.op, span_.elements)) * double(passes_); }

  // Checks the output over the span, then times one pass to size the repetition (the sweep's way
  // since before the seam: at least min_rep_ns, so the barrier and the clock read are noise).
  std::string check() override {
    std::string err = check_memory_kernel(kernel_, arrays_, span_.elements, team_);
    if (!err.empty() || passes_ > 0) return err;
    const int64_t once = std::max<int64_t>(1, timed(1));
    passes_ = std::clamp<int64_t>(span_.min_rep_ns / once + 1, 1, kMostPasses);
    return "";
  }
  backends::Repetition run() override { return {timed(passes_)}; }

 private:
  int64_t timed(int64_t passes) {
    const auto x = arrays_.arrays();
    const size_t n = span_.elements;
    return team_.run_timed([&](size_t m) {
      const auto r = split_range(n, team_.size(), m);
      for (int64_t p = 0; p < passes; ++p) sums_[m].value += kernel_.fn(x, r.begin, r.end, kStreamScalar);
    });
  }

  MemKernel kernel_;
  StreamArrays& arrays_;
  ThreadTeam& team_;
  std::vector<PaddedSum>& sums_;
  backends::StreamSpan span_;
  int64_t passes_ = 0;  // per repetition, sized by the first check
};
}  // namespace

std::string preferred_variant(StreamOp op) {
  const auto kernels = memory_kernels(op);
  // Kernels come narrowest ISA first, so the last temporal one is the widest this CPU runs.
  std::string best = kernels.front().impl;
  for (auto& k : kernels)
    if (!k.nontemporal && k.isa != "libc") best = k.impl;
  return best;
}

backends::Kernels span_kernels(StreamOp op, const std::vector<std::string>& impls, const backends::StreamSpan& span,
                               StreamArrays& arrays, ThreadTeam& team, std::vector<PaddedSum>& sums) {
  const size_t block = span_block(team);
  if (span.elements == 0 || span.elements % block || span.elements > arrays.elements())
    throw Error(fmt::format("a STREAM span of {} elements is not whole {}-element blocks within the arrays' {}",
                            span.elements, block, arrays.elements()));
  backends::Kernels out;
  for (auto& k : memory_kernels(op))
    if (impls.empty() || std::find(impls.begin(), impls.end(), k.impl) != impls.end())
      out.push_back(std::make_unique<SpanKernel>(k, arrays, team, sums, span));
  return out;
}

}  // namespace specgap::cpu
