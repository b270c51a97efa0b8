#pragma once
// Causal attention of one query head over the KV cache, fp32 arithmetic on an fp16 cache (llama.cpp's
// default cache type). Keys are stored transposed per KV head ([dim][position]) so that scores for 16
// positions come from one vector FMA per dimension; values are [position][dim].
#include <cstdint>

#ifndef __FLT16_MAX__
#error "the KV cache needs the compiler's _Float16 (GCC 12+ or Clang on x86-64 and aarch64)"
#endif

namespace specgap::llm {

using KvHalf = _Float16;  // converts with F16C/AVX-512 instructions where the CPU has them

struct AttentionArgs {
  const float* q;         // n queries x head_dim, query i at q + i * q_stride
  int64_t q_stride;
  int64_t n;              // queries
  int64_t first_pos;      // position of query 0; query i sees keys 0 .. first_pos + i
  const KvHalf* k_t;      // [head_dim][capacity]
  const KvHalf* v;        // [capacity][head_dim]
  int64_t capacity;
  int64_t head_dim;
  float scale;            // 1/sqrt(head_dim)
  float* out;             // n x head_dim, row i at out + i * out_stride
  int64_t out_stride;
  float* scratch;         // at least first_pos + n floats
};

void attend(const AttentionArgs& a);

}  // namespace specgap::llm
