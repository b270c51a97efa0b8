#version 450
// The pointer chase (latency.cpp): one invocation follows `loads` links, each load's index the value
// of the one before, so no two loads overlap. Each node is one 64-byte line whose first word holds the
// element index of the next node: the index is the address, with no arithmetic between the loads.
layout(local_size_x = 1) in;

layout(std430, set = 0, binding = 0) readonly buffer Next { uint next[]; };
layout(std430, set = 0, binding = 1) writeonly buffer End { uint end_node[]; };

layout(push_constant) uniform Push {
  uint start;  // the element index of the first node
  uint loads;  // at most 16 x 65535: lavapipe (gallivm) ends any loop after 65535 turns in all
               // (LP_MAX_TGSI_LOOP_ITERATIONS), which would cut a longer chase short
};

void main() {
  uint p = start;
  uint i = 0;
  // Unrolled by sixteen so the loop's own instructions hide under the load latency.
  for (; i + 16 <= loads; i += 16) {
    p = next[p]; p = next[p]; p = next[p]; p = next[p]; p = next[p]; p = next[p]; p = next[p]; p = next[p];
    p = next[p]; p = next[p]; p = next[p]; p = next[p]; p = next[p]; p = next[p]; p = next[p]; p = next[p];
  }
  for (; i < loads; ++i) p = next[p];
  // Stored so the chase is never dead code, and read back for the check: the node it ended on.
  end_node[0] = p / 16;
}
