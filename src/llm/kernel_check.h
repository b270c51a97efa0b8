#pragma once
// Check, then time: what an engine's verify_kernels hands to the shared checker (kernel_check.cpp
// says what is sampled and with what tolerance). An architecture names its matmul steps as its
// forward pass runs them, and its attention caches; the checker does the rest.
#include <cstdint>
#include <string>
#include <vector>

#include "backends/cpu/attention_kernels.h"
#include "backends/cpu/thread_team.h"
#include "llm/engine.h"

namespace specgap::llm {

struct CheckedMatrix {
  std::string name;  // as the error line names it: "blk.3.attn_q"
  const PackedWeight* w;
};
// The matrices of one matmul step, which share a work counter, in the order the forward pass names them.
using CheckedStep = std::vector<CheckedMatrix>;

// One layout of the KV cache that attention reads: `slots` positions per head; with a window, a
// query sees only the last `window` positions (the cache of a GPT-OSS window layer).
struct CheckedCache {
  int64_t slots;
  int64_t window = 0;
};

struct KernelCheckPlan {
  cpu::AttentionKernels attention;
  int64_t head_dim, q_stride;
  std::vector<CheckedCache> caches = {};
  std::vector<CheckedStep> steps = {};  // every layer's steps: each matrix is checked at one token
  CheckedStep output = {};         // one token in every call
};

// "" or one line naming the first mismatches of the timed `calls`' kernel configurations.
std::string check_kernels(const KernelCheckPlan& plan, const std::vector<ForwardCall>& calls, cpu::ThreadTeam& team,
                          uint64_t seed);

}  // namespace specgap::llm
