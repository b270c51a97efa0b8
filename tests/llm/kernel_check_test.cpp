// The engine's run-time kernel check: every kernel this CPU runs passes it, and kernels broken on
// purpose in one of the configurations the timed calls use (decode's streams, a prefill tile, a
// member of the team other than the caller, attention's tiles) fail it in one line that names them.
#include <gtest/gtest.h>

#include <algorithm>
#include <thread>
#include <vector>

#include "llm/engine.h"
#include "support/small_llama.h"

namespace specgap::llm {
namespace {

ModelConfig small_config() {
  ModelConfig c = specgap::test::small_llama();
  c.tied_output = false;
  return c;
}

ParallelFor serial() {
  return [](int64_t n, const std::function<void(int64_t)>& fn) {
    for (int64_t i = 0; i < n; ++i) fn(i);
  };
}

// A team of two members on this machine's CPUs (both on CPU 0 where there is one).
std::vector<int> two_cpus() {
  const int cpus = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  return {0, 1 % cpus};
}

// What the timed runs of `specgap llm -p 13 -n 3` call: a 13-token prompt, then single tokens.
std::vector<ForwardCall> prompt_then_decode() { return {{0, 13}, {13, 1}, {14, 1}, {15, 1}}; }

// The broken kernels wrap the real one of their type (MatmulFn is a plain function pointer, so the
// real one is kept here) and add 1 to one output in one configuration only.
cpu::MatmulFn g_real = nullptr;
std::thread::id g_caller;
void wrong_in_decode_streams(const std::byte* p, int64_t rows, int64_t cols, int64_t g0, int64_t g1, const std::byte* a,
                             size_t as, int64_t n, float* out, int64_t os) {
  g_real(p, rows, cols, g0, g1, a, as, n, out, os);
  if (n == 1 && g1 - g0 >= 4) out[(g1 - 1) * cpu::kPackRows] += 1;  // the last stream's last group
}
void wrong_in_wide_tiles(const std::byte* p, int64_t rows, int64_t cols, int64_t g0, int64_t g1, const std::byte* a,
                         size_t as, int64_t n, float* out, int64_t os) {
  g_real(p, rows, cols, g0, g1, a, as, n, out, os);
  if (n >= 8) out[7 * os + g0 * cpu::kPackRows] += 1;  // token 7: the end of an 8-token tile
}
void wrong_off_the_caller(const std::byte* p, int64_t rows, int64_t cols, int64_t g0, int64_t g1, const std::byte* a,
                          size_t as, int64_t n, float* out, int64_t os) {
  g_real(p, rows, cols, g0, g1, a, as, n, out, os);
  if (std::this_thread::get_id() != g_caller) out[g0 * cpu::kPackRows] += 1;
}

// The engine's options with `broken` in place of the Q4_0 kernel.
EngineOptions with_q4_0(cpu::MatmulFn broken) {
  EngineOptions o{.context = 32, .max_batch = 16};
  o.matmul = [broken](GgmlType t) {
    cpu::MatmulKernel k = cpu::select_matmul(t);
    if (t != GgmlType::q4_0) return k;
    g_real = k.fn;
    return cpu::MatmulKernel{broken, "broken"};
  };
  return o;
}

std::string check_with(const EngineOptions& options, const std::vector<int>& cpus = {}) {
  PresetSource source(small_config(), GgmlType::q4_0, 7, serial());
  cpu::ThreadTeam team(cpus);
  g_caller = std::this_thread::get_id();
  LlamaEngine engine(source, team, options);
  return engine.verify_kernels(prompt_then_decode(), 3);
}

void expect_one_line_naming(const std::string& err, const std::string& what) {
  EXPECT_NE(err.find(what), std::string::npos) << err;
  EXPECT_EQ(err.find('\n'), std::string::npos) << err;
}

// Every matmul and attention kernel this CPU runs, the portable ones included, passes, for every
// weight type, alone and in a team.
TEST(KernelCheck, EveryKernelThisCpuRunsPasses) {
  for (GgmlType type : {GgmlType::q4_0, GgmlType::q8_0, GgmlType::q4_k, GgmlType::q6_k, GgmlType::f16}) {
    std::vector<cpu::MatmulKernel> matmuls = cpu::simd_matmuls(type);
    matmuls.push_back(cpu::generic_matmul(type));
    std::vector<cpu::AttentionKernels> attentions = cpu::simd_attentions();
    attentions.push_back(cpu::generic_attention());
    for (size_t i = 0; i < std::max(matmuls.size(), attentions.size()); ++i) {
      const cpu::MatmulKernel m = matmuls[std::min(i, matmuls.size() - 1)];
      const cpu::AttentionKernels a = attentions[std::min(i, attentions.size() - 1)];
      EngineOptions o{.context = 32, .max_batch = 16};
      // Every type of the model (a Q4_0 preset has a Q6_K output) runs the kernel of that ISA.
      o.matmul = [&](GgmlType t) {
        if (t == type) return m;
        for (const auto& k : cpu::simd_matmuls(t))
          if (k.isa == m.isa) return k;
        return cpu::generic_matmul(t);
      };
      o.attention = [&] { return a; };
      for (const auto& cpus : {std::vector<int>{}, two_cpus()}) {
        PresetSource source(small_config(), type, 7, serial());
        cpu::ThreadTeam team(cpus);
        LlamaEngine engine(source, team, o);
        EXPECT_EQ(engine.verify_kernels(prompt_then_decode(), 3), "")
            << to_string(type) << " " << m.isa << ", attention " << a.isa << ", " << cpus.size() << " members";
      }
    }
  }
}

TEST(KernelCheck, CatchesAKernelWrongOnlyInDecodesStreams) {
  const std::string err = check_with(with_q4_0(wrong_in_decode_streams), two_cpus());
  expect_one_line_naming(err, "broken");
  expect_one_line_naming(err, "1 token");
}

TEST(KernelCheck, CatchesAKernelWrongOnlyInAnEightTokenTile) {
  const std::string err = check_with(with_q4_0(wrong_in_wide_tiles));
  expect_one_line_naming(err, "broken");
  expect_one_line_naming(err, "token 7");
}

TEST(KernelCheck, CatchesAKernelWrongOnlyOnAnotherMemberOfTheTeam) {
  const std::string err = check_with(with_q4_0(wrong_off_the_caller), two_cpus());
  expect_one_line_naming(err, "broken");
}

// Attention broken in the prefill tile (4 queries) and in decode (one query).
cpu::AttentionKernels g_attention;
void scores_wrong_in_full_tiles(const float* q, int64_t qs, int nq, const uint16_t* k, int64_t cap, int64_t d,
                                int64_t count, float scale, float* s, int64_t ss) {
  g_attention.scores(q, qs, nq, k, cap, d, count, scale, s, ss);
  if (nq == cpu::kAttnTile) s[(nq - 1) * ss + count - 1] += 1;
}
void values_wrong_for_one_query(const float* p, int64_t ps, int nq, const uint16_t* v, int64_t d, int64_t count,
                                float* out, int64_t os) {
  g_attention.values(p, ps, nq, v, d, count, out, os);
  if (nq == 1) out[d - 1] += 1;
}

EngineOptions with_attention(bool broken_scores) {
  EngineOptions o{.context = 32, .max_batch = 16};
  o.attention = [broken_scores] {
    g_attention = cpu::select_attention();
    cpu::AttentionKernels k = g_attention;
    k.isa = "broken";
    if (broken_scores) k.scores = scores_wrong_in_full_tiles;
    else k.values = values_wrong_for_one_query;
    return k;
  };
  return o;
}

TEST(KernelCheck, CatchesAttentionWrongOnlyInAFullTile) {
  const std::string err = check_with(with_attention(true));
  expect_one_line_naming(err, "attention scores");
  expect_one_line_naming(err, "broken");
}

TEST(KernelCheck, CatchesAttentionWrongOnlyForOneQuery) {
  const std::string err = check_with(with_attention(false));
  expect_one_line_naming(err, "attention values");
}

}  // namespace
}  // namespace specgap::llm
