// StreamArrays holds values on the exact 1/1024 grid, and check_memory_kernel tells a correct
// kernel from a broken one.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <string>

#include "backends/cpu/memory_kernels.h"
#include "backends/cpu/thread_team.h"
#include "backends/cpu/stream_arrays.h"

namespace specgap::cpu {
namespace {

constexpr size_t kElements = 4099;  // not a multiple of any vector width or unroll

// Kernels broken on purpose (plain functions: MemKernelFn is a function pointer).
double copy_wrong_last_element(cpu::MemArrays x, size_t begin, size_t end, double) {
  for (size_t i = begin; i < end; ++i) x.c[i] = x.a[i];
  if (end > begin) x.c[end - 1] += 1.0 / 1024;
  return 0;
}
double triad_without_tail(cpu::MemArrays x, size_t begin, size_t end, double s) {
  for (size_t i = begin; i + 8 <= end; ++i) x.a[i] = x.b[i] + s * x.c[i];
  return 0;
}
double read_off_by_one(cpu::MemArrays x, size_t begin, size_t end, double) {
  double sum = 0;
  for (size_t i = begin; i < end; ++i) sum += x.a[i];
  return sum + 1;
}

cpu::MemKernel broken(StreamOp op, cpu::MemKernelFn fn) { return {op, "broken", "scalar", false, fn}; }

TEST(StreamArrays, ValuesSitOnTheExactGrid) {
  cpu::ThreadTeam team({});
  StreamArrays arrays(kElements, team, 5);
  EXPECT_EQ(arrays.elements(), kElements);
  const auto x = arrays.arrays();
  for (const double* p : {x.a, x.b, x.c}) {
    for (size_t i = 0; i < kElements; ++i) {
      ASSERT_GE(p[i], 1.0) << i;
      ASSERT_LT(p[i], 2.0) << i;
      ASSERT_EQ(p[i] * 1024, std::floor(p[i] * 1024)) << i;
    }
  }
}

TEST(StreamArrays, TheReadArrayFillTouchesOnlyArrayA) {
  cpu::ThreadTeam team({});
  StreamArrays arrays(kElements, team, 5, StreamArrays::Fill::read_array);
  arrays.randomize(kElements, team);
  const auto x = arrays.arrays();
  for (size_t i = 0; i < kElements; ++i) {
    ASSERT_GE(x.a[i], 1.0) << i;
    ASSERT_EQ(x.b[i], 0.0) << i;  // fresh anonymous memory, never written
    ASSERT_EQ(x.c[i], 0.0) << i;
  }
}

TEST(StreamArrays, SameSeedSameValuesAndRandomizeChangesThem) {
  cpu::ThreadTeam team({});
  StreamArrays one(kElements, team, 9), two(kElements, team, 9);
  EXPECT_EQ(std::memcmp(one.arrays().a, two.arrays().a, kElements * sizeof(double)), 0);
  const double first = one.arrays().b[100];
  size_t changed = 0;
  one.randomize(kElements, team);
  for (size_t i = 0; i < kElements; ++i) changed += one.arrays().b[i] != two.arrays().b[i];
  EXPECT_GT(changed, kElements / 2) << "b[100] was " << first;
}

TEST(CheckMemoryKernel, EveryRealVariantPasses) {
  cpu::ThreadTeam team({});
  StreamArrays arrays(kElements, team, 1);
  for (const auto& k : cpu::memory_kernels()) {
    arrays.randomize(kElements, team);
    EXPECT_EQ(check_memory_kernel(k, arrays, kElements, team), "") << k.impl;
  }
}

TEST(CheckMemoryKernel, NamesTheFirstWrongElement) {
  cpu::ThreadTeam team({});
  StreamArrays arrays(kElements, team, 2);
  const std::string err = check_memory_kernel(broken(StreamOp::copy, copy_wrong_last_element), arrays, 1000, team);
  EXPECT_NE(err.find("broken"), std::string::npos) << err;
  EXPECT_NE(err.find("element 999"), std::string::npos) << err;
  EXPECT_EQ(err.find('\n'), std::string::npos) << err;
}

TEST(CheckMemoryKernel, CatchesAMissingTailOnFreshArrays) {
  cpu::ThreadTeam team({});
  StreamArrays arrays(kElements, team, 3);
  const std::string err = check_memory_kernel(broken(StreamOp::triad, triad_without_tail), arrays, kElements, team);
  EXPECT_NE(err, "");
}

TEST(CheckMemoryKernel, CatchesAWrongSum) {
  cpu::ThreadTeam team({});
  StreamArrays arrays(kElements, team, 4);
  const std::string err = check_memory_kernel(broken(StreamOp::read, read_off_by_one), arrays, kElements, team);
  EXPECT_NE(err.find("sum"), std::string::npos) << err;
}

}  // namespace
}  // namespace specgap::cpu
