#pragma once
// What every Vulkan kernel shares: the batch that one repetition records into one command buffer
// (sized so that a repetition lasts long enough for the timer and the submission to be noise), and a
// test hook that proves each check can fail.
#include <cstdint>
#include <memory>
#include <string>

#include "backends/device.h"
#include "backends/vulkan/buffer.h"

namespace specgap::vulkan {

class VulkanKernel : public backends::Kernel {
 public:
  // Test hook: the next check() overwrites one word of the kernel's output after the kernel ran and
  // before it is read back, so the check must report a mismatch.
  void corrupt_next_check() { corrupt_ = true; }

 protected:
  // Overwrites the word at `offset` of `out` with a NaN pattern, when the test hook asked for it.
  void corrupt_if_asked(Context& ctx, const Buffer& out, uint64_t offset = 0);
  // The same for a host-visible output the host reads directly.
  void corrupt_if_asked(void* mapped_word);

 private:
  bool corrupt_ = false;
};

// How many back-to-back launches of a kernel whose single launch took `one_ns` fill `target_seconds`:
// at least 1, at most `most`.
int batch_size(int64_t one_ns, double target_seconds, int most = 1000);

// The `observed` of a repetition: the host clock's view of the same submission, for comparison.
nlohmann::json host_observed(const Timing& t);

}  // namespace specgap::vulkan
