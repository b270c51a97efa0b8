#version 450
#extension GL_GOOGLE_include_directive : require
#extension GL_EXT_shader_16bit_storage : require
#extension GL_EXT_shader_explicit_arithmetic_types_float16 : require
// fp16 operands, fp32 accumulate (gemm.glsl): the operands are widened as they are staged.
#define IN float16_t
#include "gemm.glsl"
