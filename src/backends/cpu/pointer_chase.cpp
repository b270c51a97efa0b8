#include "backends/cpu/pointer_chase.h"

#include "core/error.h"
#include "core/interrupt.h"
#include "core/random_cycle.h"

namespace specgap::cpu {
namespace {
// Linking a 1 GiB chase takes about a second: poll the stop flag every million nodes.
constexpr size_t kPollMask = (size_t(1) << 20) - 1;
}  // namespace

PointerChase::PointerChase(size_t bytes, uint64_t seed)
    : buffer_(bytes < 2 * kChaseStride ? 2 * kChaseStride : bytes),
      nodes_(buffer_.size() / kChaseStride),
      order_(nodes_ * sizeof(uint32_t)) {
  if (nodes_ > UINT32_MAX) throw Error("pointer-chase working set too large: " + std::to_string(bytes) + " bytes");
  auto* order = order_.as<uint32_t>();
  random_cycle({order, nodes_}, seed);
  auto* base = buffer_.as<char>();
  for (size_t k = 0; k < nodes_; ++k) {
    if ((k & kPollMask) == 0) throw_if_interrupted();
    char* node = base + size_t(order[k]) * kChaseStride;
    char* next = base + size_t(order[(k + 1) % nodes_]) * kChaseStride;
    *reinterpret_cast<void**>(node) = next;
  }
}

const void* PointerChase::chase(size_t loads) const {
  const void* p = buffer_.as<char>() + size_t(order_.as<uint32_t>()[0]) * kChaseStride;
  // Unrolled by eight so loop overhead hides under the load latency; the tail is done one by one.
  size_t i = 0;
  for (; i + 8 <= loads; i += 8) {
    p = *static_cast<const void* const*>(p);
    p = *static_cast<const void* const*>(p);
    p = *static_cast<const void* const*>(p);
    p = *static_cast<const void* const*>(p);
    p = *static_cast<const void* const*>(p);
    p = *static_cast<const void* const*>(p);
    p = *static_cast<const void* const*>(p);
    p = *static_cast<const void* const*>(p);
  }
  for (; i < loads; ++i) p = *static_cast<const void* const*>(p);
  return p;
}

const void* PointerChase::expected_after(size_t loads) const {
  return buffer_.as<char>() + size_t(order_.as<uint32_t>()[loads % nodes_]) * kChaseStride;
}

}  // namespace specgap::cpu
