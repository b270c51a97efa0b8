#include "backends/cpu/attention_kernels.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "backends/cpu/half.h"

namespace specgap::cpu {
namespace {

// Every SIMD pair this CPU runs agrees with the portable loops for every tile size, counts that are
// and are not whole vectors, and head sizes of one to several vectors.
TEST(AttentionKernels, EverySimdPairMatchesPortable) {
  const auto ref = generic_attention();
  const auto kernels = simd_attentions();
  if (kernels.empty()) GTEST_SKIP() << "no SIMD attention kernels run on this CPU";
  EXPECT_EQ(select_attention().isa, kernels.front().isa) << "the fastest is the one selected";
  for (const auto& fast : kernels) {
    std::mt19937 rng(9);
    std::normal_distribution<float> normal(0, 1);
    for (int64_t head_dim : {16, 48, 64, 128}) {
      const int64_t capacity = 80;  // room for two whole 32-position tiles and a partial vector
      std::vector<uint16_t> k_t(head_dim * capacity), v(capacity * head_dim);
      for (auto& h : k_t) h = float_to_fp16(normal(rng));
      for (auto& h : v) h = float_to_fp16(normal(rng));
      std::vector<float> q(4 * head_dim), p(4 * capacity, 0.0f);
      for (auto& x : q) x = normal(rng);
      for (auto& x : p) x = std::fabs(normal(rng)) / 10;
      for (int nq = 1; nq <= kAttnTile; ++nq)
        for (int64_t count : {1, 5, 16, 37, 48, 64, 75, 80}) {
          std::vector<float> s1(4 * capacity, -7), s2(4 * capacity, -7), o1(4 * head_dim), o2(4 * head_dim);
          fast.scores(q.data(), head_dim, nq, k_t.data(), capacity, head_dim, count, 0.125f, s1.data(), capacity);
          ref.scores(q.data(), head_dim, nq, k_t.data(), capacity, head_dim, count, 0.125f, s2.data(), capacity);
          fast.values(p.data(), capacity, nq, v.data(), head_dim, count, o1.data(), head_dim);
          ref.values(p.data(), capacity, nq, v.data(), head_dim, count, o2.data(), head_dim);
          for (int i = 0; i < nq; ++i) {
            for (int64_t j = 0; j < capacity; ++j) {
              if (j < count) {
                ASSERT_NEAR(s1[i * capacity + j], s2[i * capacity + j], 1e-4 * (1 + std::fabs(s2[i * capacity + j])));
              } else {
                ASSERT_EQ(s1[i * capacity + j], -7.0f) << "wrote past count " << count;
              }
            }
            for (int64_t d = 0; d < head_dim; ++d)
              ASSERT_NEAR(o1[i * head_dim + d], o2[i * head_dim + d], 1e-4 * (1 + std::fabs(o2[i * head_dim + d])))
                  << fast.isa << " head_dim " << head_dim << " nq " << nq << " count " << count;
          }
        }
    }
  }
}

}  // namespace
}  // namespace specgap::cpu
