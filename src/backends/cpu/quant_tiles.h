#pragma once
// Runs a group kernel over tiles of kTile tokens, then the remainder with narrower tiles; shared by
// every architecture's matmul files. `Args` is that file's GroupArgs (act, act_stride, out, out_stride).
#include <cstdint>

namespace specgap::cpu {

template <template <int> class K, int kTile, class Args>
struct Tiles {
  static void run(Args g, int64_t n_tokens) {
    int64_t tok = 0;
    for (; tok + kTile <= n_tokens; tok += kTile) {
      K<kTile>::run(g);
      g.act += kTile * g.act_stride;
      g.out += kTile * g.out_stride;
    }
    if constexpr (kTile > 1)
      if (tok < n_tokens) Tiles<K, kTile - 1, Args>::run(g, n_tokens - tok);
  }
};

}  // namespace specgap::cpu
