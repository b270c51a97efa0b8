#version 450
#extension GL_GOOGLE_include_directive : require
#extension GL_EXT_shader_explicit_arithmetic_types_float16 : require
// fp16 peak: f16vec4 FMAs (packed pairs where the hardware has them), 8 chains (peak.glsl).
#define VEC f16vec4
#define CHAINS(F) F(0) F(1) F(2) F(3) F(4) F(5) F(6) F(7)
#include "peak.glsl"
