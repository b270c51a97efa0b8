#version 450
#extension GL_GOOGLE_include_directive : require
// fp32 peak: vec4 FMAs, 8 independent chains per invocation (peak.glsl).
#define VEC vec4
#define CHAINS(F) F(0) F(1) F(2) F(3) F(4) F(5) F(6) F(7)
#include "peak.glsl"
