// Register-resident FMA chains at the device's peak rate, vkpeak/clpeak style, checked in closed form.
// The including file defines VEC (the vector type), and CHAINS(F), which applies F to each chain's
// index: independent chains per invocation hide the FMA latency.
//
// Each chain is x = fma(x, a, b) with a = 1 and b = 1 pushed at run time (so no compiler can fold the
// loop), starting from 4j + lane for chain j: after n iterations every lane holds 4j + lane + n, an
// integer the format holds exactly while it stays below 2^11 (fp16), 2^24 (fp32) or 2^53 (fp64).
// Distinct starts keep the compiler from merging the chains. The invocation stores the chains' sum
// (in fp32: exact for these integers), so every chain stays live and every invocation is checked.
layout(local_size_x = 256) in;
layout(std430, binding = 0) writeonly buffer Out { vec4 result[]; };
layout(push_constant) uniform Push {
  uint iterations;
  float a;
  float b;
} pc;

void main() {
  const VEC a = VEC(pc.a);
  const VEC b = VEC(pc.b);
#define SPECGAP_START(j) VEC x##j = VEC(4 * j, 4 * j + 1, 4 * j + 2, 4 * j + 3);
  CHAINS(SPECGAP_START)
  for (uint i = 0; i < pc.iterations; i += 4) {
#define SPECGAP_STEP(j) x##j = fma(x##j, a, b);
    // Four steps per trip (iterations is a multiple of 4), so loop overhead is a small share.
    CHAINS(SPECGAP_STEP)
    CHAINS(SPECGAP_STEP)
    CHAINS(SPECGAP_STEP)
    CHAINS(SPECGAP_STEP)
  }
  vec4 sum = vec4(0);
#define SPECGAP_SUM(j) sum += vec4(x##j);
  CHAINS(SPECGAP_SUM)
  result[gl_GlobalInvocationID.x] = sum;
}
