#version 450
#extension GL_GOOGLE_include_directive : require
// fp64 peak: dvec4 FMAs, 4 chains per invocation (fp64 uses twice the registers) (peak.glsl).
#define VEC dvec4
#define CHAINS(F) F(0) F(1) F(2) F(3)
#include "peak.glsl"
