#pragma once
// Matrix products with weights in a ggml type: the LLM engine's one hot loop, for decode (one token,
// matrix-vector, bound by memory bandwidth) and prefill (many tokens, matrix-matrix, bound by compute).
//
// Weights are repacked once, at load, from the GGUF row layout into groups of 16 rows so that one
// 64-byte vector holds 4 consecutive quants of each of the 16 rows. A dot-product instruction (x86's
// VNNI vpdpbusd, Arm's SDOT by element) then yields 16 row sums at once against 4 activation bytes
// given to every lane: no horizontal sums, no shuffles, and one sequential stream per group. The
// repacked bytes are the file's bytes rearranged (Q4_K adds 64 bytes per 16x256 weights for unpacked
// 6-bit scales, 2.8%).
//
// Activations are quantised per token the way llama.cpp's CPU path does, so results are comparable:
// to 8-bit blocks of 32 with a float scale for Q4_0, Q8_0 and MXFP4 weights (its Q8_0), to 8-bit blocks of
// 256 with sums per 16 for the K-quants (its Q8_K), and kept as floats for F32, F16 and BF16 weights.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/ggml_type.h"

namespace specgap::cpu {

constexpr int64_t kPackRows = 16;  // rows per packed group

// How the dot-product instruction an architecture has reads the packed weight bytes of the 32-column
// block types. x86's vpdpbusd multiplies unsigned by signed bytes, so Q8_0 is packed as q + 128;
// Arm's SDOT multiplies signed by signed, so there Q8_0 is packed as the file has it. Q4_0's nibbles
// (0..15) and MXFP4's biased codes (0..24) read the same either way. Each architecture names its own
// coding (arch_weight_coding), and every matrix of a process is packed with it; the portable kernel
// reads either, so that both are tested on any machine.
enum class WeightCoding { unsigned_bytes, signed_bytes };
// Defined by each arch/<processor>/arch_kernels.cpp, beside its kernels (arch_kernels.h).
WeightCoding arch_weight_coding();

// Activation block for Q4_0, Q8_0 and MXFP4 weights: 32 int8 with a scale (an fp16 value, as
// llama.cpp's Q8_0 has, held as a float), and the bias the packed weights' offset needs (weights are
// read as w + 8, w + 128 (unsigned coding only) or 2w + 12, so the kernel starts each block's integer
// sum at -8, -128 or -12 times the block's activation sum; 0 for Q8_0 in the signed coding).
struct ActQ8x32 {
  float d;
  int32_t bias;
  int8_t qs[32];
};
static_assert(sizeof(ActQ8x32) == 40);

// Activation block for the K-quants: 256 int8, one scale, sums of each 16.
struct ActQ8x256 {
  float d;
  int16_t bsums[16];
  int8_t qs[256];
  int32_t pad[3];  // keeps blocks 4-byte aligned and the struct a multiple of 16 bytes
};
static_assert(sizeof(ActQ8x256) == 304);

// How a weight type's kernels read each activation row: floats (F32, F16, BF16), ActQ8x32 blocks
// (Q4_0, Q8_0, MXFP4) or ActQ8x256 blocks (the K-quants).
enum class ActFormat { f32, q8x32, q8x256 };
ActFormat act_format(GgmlType t);

// Weight types with matmul kernels; the others are refused by name before anything is loaded.
bool has_matmul(GgmlType t);
// Their names, space-separated ("f32 f16 bf16 q4_0 ..."), for that refusal.
std::string matmul_type_names();
// For weights whose activations are ActQ8x32 blocks: what the packed weights add to each value to
// make it unsigned (Q4_0 8, Q8_0 128 or in the signed coding 0, MXFP4 12), which the block's bias
// takes back off.
int32_t act_weight_offset(GgmlType t, WeightCoding coding = arch_weight_coding());

// Bytes of a packed rows x cols matrix (rows padded to a whole group with zero rows).
size_t packed_bytes(GgmlType t, int64_t rows, int64_t cols);
size_t packed_group_bytes(GgmlType t, int64_t cols);

// Weights that no kernel can take as they are (an MXFP4 scale of NaN): pack_groups throws it, and its
// caller adds which tensor.
class InvalidWeights : public Error {
 public:
  using Error::Error;
};

// Repacks groups [g0, g1) of a GGUF-layout matrix (rows x cols, row-major) into dst (a buffer of
// packed_bytes). Groups are independent, so threads may pack disjoint ranges. Throws InvalidWeights.
void pack_groups(GgmlType t, const void* rows_src, int64_t rows, int64_t cols, std::byte* dst, int64_t g0,
                 int64_t g1, WeightCoding coding = arch_weight_coding());

// One token's activations as the kernel of weight type t reads them. The SIMD version where the CPU
// has one (same bits as the portable loop, tested), for weights packed in the architecture's coding.
size_t act_row_bytes(GgmlType t, int64_t cols);
void quantize_act_row(GgmlType t, const float* x, int64_t cols, std::byte* dst);
void quantize_act_row_portable(GgmlType t, const float* x, int64_t cols, std::byte* dst,
                               WeightCoding coding = arch_weight_coding());
using QuantizeActFn = void (*)(GgmlType t, const float* x, int64_t cols, std::byte* dst);

// out[tok * out_stride + r] = dot(weight row r, activation row tok) for every row of groups
// [g0, g1) and tokens [0, n_tokens). act rows are act_stride bytes apart. Rows past the matrix's
// real row count (padding) are not written: `rows` bounds the stores.
using MatmulFn = void (*)(const std::byte* packed, int64_t rows, int64_t cols, int64_t g0, int64_t g1,
                          const std::byte* act, size_t act_stride, int64_t n_tokens, float* out,
                          int64_t out_stride);

struct MatmulKernel {
  MatmulFn fn = nullptr;
  std::string isa;  // "avx512-vnni", "generic", …
};

// The fastest kernel this CPU runs for t (the portable one where no SIMD kernel applies).
MatmulKernel select_matmul(GgmlType t);
// Every SIMD kernel this CPU runs for t, fastest first (the tests check each against the portable one).
std::vector<MatmulKernel> simd_matmuls(GgmlType t);
// The portable kernel for weights packed in `coding`: the reference the SIMD kernels are tested against.
MatmulKernel generic_matmul(GgmlType t, WeightCoding coding = arch_weight_coding());

}  // namespace specgap::cpu
