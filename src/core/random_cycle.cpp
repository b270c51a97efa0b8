#include "core/random_cycle.h"

#include <random>
#include <utility>

#include "core/interrupt.h"

namespace specgap {
namespace {
constexpr size_t kPollMask = (size_t(1) << 20) - 1;  // poll the stop flag every million nodes
}  // namespace

void random_cycle(std::span<uint32_t> order, uint64_t seed) {
  for (size_t i = 0; i < order.size(); ++i) order[i] = uint32_t(i);
  // Sattolo: swapping only with earlier positions yields a single cycle over all nodes.
  std::mt19937_64 rng(seed);
  for (size_t i = order.size(); i-- > 1;) {
    if ((i & kPollMask) == 0) throw_if_interrupted();
    std::uniform_int_distribution<size_t> pick(0, i - 1);
    std::swap(order[i], order[pick(rng)]);
  }
}

}  // namespace specgap
