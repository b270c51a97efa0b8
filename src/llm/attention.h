#pragma once
// Causal attention of one query head over the KV cache: fp32 arithmetic on an fp16 cache (llama.cpp's
// default cache type). Keys are stored transposed per KV head ([dim][position]) so that scores for 16
// positions come from one vector FMA per dimension; values are [position][dim]. Queries are taken in
// tiles that share every K and V load (backends/cpu/attention_kernels.h).
#include <cstdint>

#include "backends/cpu/attention_kernels.h"

namespace specgap::llm {

using KvHalf = uint16_t;  // fp16 bits

struct AttentionArgs {
  const float* q;         // n queries x head_dim, query i at q + i * q_stride
  int64_t q_stride;
  int64_t n;              // queries
  int64_t first_pos;      // position of query 0; query i sees keys 0 .. first_pos + i
  const KvHalf* k_t;      // [head_dim][capacity]
  const KvHalf* v;        // [capacity][head_dim]
  int64_t capacity;       // slots, a multiple of 16
  int64_t head_dim;       // a multiple of 16
  float scale;            // 1/sqrt(head_dim)
  float* out;             // n x head_dim, row i at out + i * out_stride
  int64_t out_stride;
  float* scratch;         // at least cpu::kAttnTile * capacity floats
  // GPT-OSS: a query at position p sees only keys p - window + 1 .. p (0: every earlier key), and
  // its head's sink logit joins the softmax's denominator only (nullptr: no sink).
  int64_t window = 0;
  const float* sink = nullptr;
  // The position the cache's slot 0 holds: a window layer's cache drops the positions no query can see
  // any more (GptOssEngine), so its slot of position p is p - first_slot.
  int64_t first_slot = 0;
};

void attend(const cpu::AttentionKernels& k, const AttentionArgs& a);

}  // namespace specgap::llm
