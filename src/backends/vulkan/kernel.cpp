#include "backends/vulkan/kernel.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace specgap::vulkan {
namespace {
constexpr uint32_t kCorruptWord = 0x7fbadbadu;  // a quiet NaN no kernel writes
}  // namespace

void VulkanKernel::corrupt_if_asked(Context& ctx, const Buffer& out, uint64_t offset) {
  if (!corrupt_) return;
  corrupt_ = false;
  fill_words(ctx, out, kCorruptWord, 4, offset);
}

void VulkanKernel::corrupt_if_asked(void* mapped_word) {
  if (!corrupt_) return;
  corrupt_ = false;
  std::memcpy(mapped_word, &kCorruptWord, 4);
}

int batch_size(int64_t one_ns, double target_seconds, int most) {
  const double n = std::ceil(target_seconds * 1e9 / double(std::max<int64_t>(one_ns, 1)));
  return int(std::clamp(n, 1.0, double(most)));
}

nlohmann::json host_observed(const Timing& t) { return {{"host_ns", t.host_ns}}; }

}  // namespace specgap::vulkan
