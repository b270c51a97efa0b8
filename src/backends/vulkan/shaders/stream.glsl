// STREAM's six operations over float arrays a, b, c (core/stream_ops.h), one shader per load width:
// the including file defines ELEM (float or vec4). The op is a specialization constant, so each
// pipeline holds one op's loop only. Every op is a grid-stride loop: invocation g of G handles units
// g, g+G, g+2G, ... (a unit is one ELEM), so the grid can be sized to fill the device, not the array.

layout(local_size_x = 256) in;
layout(constant_id = 0) const int OP = 0;  // 0 copy, 1 scale, 2 add, 3 triad, 4 read, 5 write

layout(std430, binding = 0) buffer A { ELEM a[]; };
layout(std430, binding = 1) buffer B { ELEM b[]; };
layout(std430, binding = 2) buffer C { ELEM c[]; };
// read: one sum per workgroup, so the whole array is loaded and the partial sums can be checked.
layout(std430, binding = 3) writeonly buffer Partial { float partial[]; };

layout(push_constant) uniform Push {
  uint units;  // ELEMs per array
  float s;     // STREAM's scalar
} pc;

shared float sums[256];

float horizontal_sum(float x) { return x; }
float horizontal_sum(vec4 x) { return (x.x + x.y) + (x.z + x.w); }

void main() {
  const uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
  uint i = gl_GlobalInvocationID.x;
  if (OP == 0) {
    for (; i < pc.units; i += stride) c[i] = a[i];
  } else if (OP == 1) {
    for (; i < pc.units; i += stride) b[i] = pc.s * c[i];
  } else if (OP == 2) {
    for (; i < pc.units; i += stride) c[i] = a[i] + b[i];
  } else if (OP == 3) {
    for (; i < pc.units; i += stride) a[i] = b[i] + pc.s * c[i];
  } else if (OP == 5) {
    for (; i < pc.units; i += stride) a[i] = ELEM(pc.s);
  } else {
    ELEM sum = ELEM(0);
    for (; i < pc.units; i += stride) sum += a[i];
    const uint lane = gl_LocalInvocationID.x;
    sums[lane] = horizontal_sum(sum);
    barrier();
    for (uint half_ = 128; half_ > 0; half_ /= 2) {
      if (lane < half_) sums[lane] += sums[lane + half_];
      barrier();
    }
    if (lane == 0) partial[gl_WorkGroupID.x] = sums[0];
  }
}
