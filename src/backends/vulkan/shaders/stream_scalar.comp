#version 450
#extension GL_GOOGLE_include_directive : require
// STREAM with one float per load (stream.glsl).
#define ELEM float
#include "stream.glsl"
