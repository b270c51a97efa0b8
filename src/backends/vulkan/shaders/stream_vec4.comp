#version 450
#extension GL_GOOGLE_include_directive : require
// STREAM with 16-byte vec4 loads and stores, as nvbandwidth and BabelStream load (stream.glsl).
#define ELEM vec4
#include "stream.glsl"
