#version 450
#extension GL_GOOGLE_include_directive : require
// fp32 GEMM, fp32 accumulate (gemm.glsl).
#define IN float
#include "gemm.glsl"
