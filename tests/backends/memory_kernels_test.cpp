// Every memory kernel variant this CPU runs, checked against the scalar reference (mem_op_reference)
// on random values, over lengths that are and are not multiples of the vector width times the
// unroll, at begin offsets that are multiples of 8 elements; and nothing outside [begin, end) moves.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "backends/cpu/buffer.h"
#include "backends/cpu/memory_kernels.h"
#if defined(__aarch64__)
#include "backends/cpu/arch/aarch64/arm_features.h"
#endif

namespace specgap::cpu {
namespace {

// Elements of guard on each side of the region a kernel may touch; the kernel's array pointers
// start kGuard elements into each buffer (64-byte aligned, as the vector variants require).
constexpr size_t kGuard = 64;
constexpr size_t kMaxEnd = 4099 + 64;  // largest length plus largest begin offset
constexpr size_t kSlots = kGuard + kMaxEnd + kGuard;

const size_t kLengths[] = {0, 1, 7, 8, 31, 32, 63, 64, 65, 127, 1000, 4099};
const size_t kBegins[] = {0, 8, 16, 24, 64};

// Which array each op writes (STREAM's formulas); read writes none.
double* written_array(StreamOp op, const MemArrays& x) {
  switch (op) {
    case StreamOp::copy: return x.c;
    case StreamOp::scale: return x.b;
    case StreamOp::add: return x.c;
    case StreamOp::triad: return x.a;
    case StreamOp::write: return x.a;
    case StreamOp::read: return nullptr;
  }
  return nullptr;
}

// Three guarded arrays filled with random values on a 1/1024 grid (exact under the kernels'
// arithmetic, see backends/cpu/stream_arrays.h), so every variant must match bit for bit.
class GuardedArrays {
 public:
  GuardedArrays() : a_(kSlots * 8), b_(kSlots * 8), c_(kSlots * 8) {}
  // Draws fresh random contents (kept aside) and writes them to the arrays.
  void fill(uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<int> grid(0, 4095);
    pristine_.resize(3 * kSlots);
    for (double& v : pristine_) v = 1.0 + grid(rng) / 1024.0;
    reset();
  }
  // Puts the contents of the last fill() back.
  void reset() {
    const Buffer* bufs[] = {&a_, &b_, &c_};
    for (size_t k = 0; k < 3; ++k) std::memcpy(bufs[k]->data(), pristine_.data() + k * kSlots, kSlots * 8);
  }
  MemArrays arrays() const { return {a_.as<double>() + kGuard, b_.as<double>() + kGuard, c_.as<double>() + kGuard}; }
  // The contents of the last fill(), all three buffers one after the other, guards included.
  const std::vector<double>& pristine() const { return pristine_; }
  // Every slot of the three buffers now, in the same layout (into `out`, reused: a fresh vector per
  // case makes malloc hand pages back and fault them in again, thousands of times).
  void snapshot(std::vector<double>& out) const {
    out.clear();
    for (auto* buf : {&a_, &b_, &c_}) out.insert(out.end(), buf->as<double>(), buf->as<double>() + kSlots);
  }

 private:
  Buffer a_, b_, c_;
  std::vector<double> pristine_;
};

std::string describe(const MemKernel& k, size_t begin, size_t len) {
  return k.impl + " " + std::to_string(static_cast<int>(k.op)) + " begin " + std::to_string(begin) + " length " +
         std::to_string(len);
}

TEST(MemoryKernels, ScalarReferenceComesFirstAndEveryOpHasIt) {
  const auto all = memory_kernels();
  ASSERT_FALSE(all.empty());
  EXPECT_EQ(all.front().impl, "scalar");
  for (const auto& info : all_stream_ops()) {
    const auto ks = memory_kernels(info.op);
    ASSERT_FALSE(ks.empty()) << info.name;
    EXPECT_EQ(ks.front().impl, "scalar") << info.name;
    EXPECT_EQ(ks.front().isa, "scalar") << info.name;
    std::set<std::string> names;
    for (const auto& k : ks) {
      EXPECT_EQ(k.op, info.op);
      EXPECT_NE(k.fn, nullptr) << k.impl;
      EXPECT_TRUE(names.insert(k.impl).second) << info.name << ": duplicate variant " << k.impl;
      EXPECT_EQ(k.nontemporal, k.impl.size() > 3 && k.impl.ends_with("-nt")) << k.impl;
    }
  }
}

#if defined(__x86_64__)
TEST(MemoryKernels, VariantsFollowWhatThisCpuSupports) {
  __builtin_cpu_init();
  const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  const bool avx512 = __builtin_cpu_supports("avx512f");
  // Never a variant this CPU cannot run...
  for (const auto& k : memory_kernels()) {
    EXPECT_TRUE(k.isa != "avx2" || avx2) << k.impl;
    EXPECT_TRUE(k.isa != "avx512" || avx512) << k.impl;
    EXPECT_TRUE(k.isa == "scalar" || k.isa == "libc" || k.isa == "avx2" || k.isa == "avx512") << k.isa;
  }
  // ...and always the ones it can, for every op that stores.
  for (const auto& info : all_stream_ops()) {
    std::set<std::string> names;
    for (const auto& k : memory_kernels(info.op)) names.insert(k.impl);
    std::vector<std::string> expected = {"scalar"};
    if (avx2) expected.push_back("avx2");
    if (avx512) expected.push_back("avx512");
    if (info.arrays_written > 0) {
      if (avx2) expected.push_back("avx2-nt");
      if (avx512) expected.push_back("avx512-nt");
    }
    if (info.op == StreamOp::copy) expected.push_back("libc-memcpy");
    for (const auto& name : expected) EXPECT_TRUE(names.count(name)) << info.name << " lacks " << name;
  }
  // A read has no stores, so no -nt variant.
  for (const auto& k : memory_kernels(StreamOp::read)) EXPECT_FALSE(k.nontemporal) << k.impl;
}
#endif

#if defined(__aarch64__)
TEST(MemoryKernels, VariantsFollowWhatThisArmCpuSupports) {
  const ArmFeatures& f = arm_features();
  for (const auto& k : memory_kernels()) {
    EXPECT_TRUE(k.isa != "neon" || f.asimd) << k.impl;
    EXPECT_TRUE(k.isa != "sve" || f.sve) << k.impl;
    EXPECT_TRUE(k.isa == "scalar" || k.isa == "libc" || k.isa == "neon" || k.isa == "sve") << k.isa;
  }
  for (const auto& info : all_stream_ops()) {
    std::set<std::string> names;
    for (const auto& k : memory_kernels(info.op)) names.insert(k.impl);
    std::vector<std::string> expected = {"scalar"};
    for (std::string isa : {"neon", "sve"}) {
      if (isa == "neon" ? !f.asimd : !f.sve) continue;
      expected.push_back(isa);
      if (info.arrays_written > 0) expected.push_back(isa + "-nt");
      if (info.op == StreamOp::read)
        for (const char* streams : {"-2s", "-4s", "-8s"}) expected.push_back(isa + streams);
    }
    for (const auto& name : expected) EXPECT_TRUE(names.count(name)) << info.name << " lacks " << name;
  }
}
#endif

TEST(MemoryKernels, OpTableCountsStreamArrays) {
  EXPECT_STREQ(stream_op_info(StreamOp::copy).name, "copy");
  EXPECT_EQ(stream_op_info(StreamOp::triad).arrays_read, 2);
  EXPECT_EQ(stream_op_info(StreamOp::triad).arrays_written, 1);
  EXPECT_EQ(stream_op_info(StreamOp::read).arrays_written, 0);
  EXPECT_EQ(stream_op_info(StreamOp::write).arrays_read, 0);
  ASSERT_EQ(all_stream_ops().size(), 6u);
  for (size_t i = 0; i < all_stream_ops().size(); ++i) EXPECT_EQ(static_cast<size_t>(all_stream_ops()[i].op), i);
}

// Runs `k` over every begin offset, length and scalar on fresh random contents; returns "" when
// every case matched the scalar reference and left everything outside [begin, end) alone, else a
// line about the first case that did not.
std::string first_mismatch(const MemKernel& k, uint64_t seed) {
  static GuardedArrays arrays;  // mapped once: a fresh mapping per case would cost a huge page each
  std::vector<double> expected, after;
  arrays.fill(seed);
  for (size_t begin : kBegins) {
    for (size_t len : kLengths) {
      for (double s : {3.0, 0.5}) {
        arrays.reset();
        const MemArrays x = arrays.arrays();
        // What the reference says, computed from the inputs before the kernel runs.
        expected = arrays.pristine();
        double expected_sum = 0;
        if (double* out = written_array(k.op, x)) {
          const size_t out_slot = size_t(out == x.a ? 0 : out == x.b ? 1 : 2) * kSlots + kGuard;
          for (size_t i = begin; i < begin + len; ++i) expected[out_slot + i] = mem_op_reference(k.op, x, i, s);
        } else {
          for (size_t i = begin; i < begin + len; ++i) expected_sum += mem_op_reference(k.op, x, i, s);
        }

        const double got = k.fn(x, begin, begin + len, s);

        arrays.snapshot(after);
        const std::string where = describe(k, begin, len) + " scalar " + std::to_string(s) + ": ";
        const auto mismatch = std::mismatch(after.begin(), after.end(), expected.begin());
        if (mismatch.first != after.end()) {
          const size_t slot = size_t(mismatch.first - after.begin());
          const long index = long(slot % kSlots) - long(kGuard);
          return where + "array " + "abc"[slot / kSlots] + " element " + std::to_string(index) + " expected " +
                 std::to_string(*mismatch.second) + " got " + std::to_string(*mismatch.first);
        }
        const double want = k.op == StreamOp::read ? expected_sum : 0;
        if (got != want) return where + "returned " + std::to_string(got) + ", expected " + std::to_string(want);
      }
    }
  }
  return "";
}

TEST(MemoryKernels, EveryVariantMatchesTheScalarReferenceAndStaysInItsRange) {
  uint64_t seed = 1;
  const auto kernels = memory_kernels();
  ASSERT_GE(kernels.size(), all_stream_ops().size() + 1);  // scalar for each op, and libc's memcpy
  for (const MemKernel& k : kernels) EXPECT_EQ(first_mismatch(k, seed++), "");
}

// The check above must be able to fail: kernels broken in the ways SIMD kernels break.
double copy_one_past_end(MemArrays x, size_t begin, size_t end, double) {
  for (size_t i = begin; i <= end; ++i) x.c[i] = x.a[i];
  return 0;
}
double copy_before_begin(MemArrays x, size_t begin, size_t end, double) {
  for (size_t i = begin; i < end; ++i) x.c[i] = x.a[i];
  if (begin > 0) x.c[begin - 1] = 0;
  return 0;
}
double triad_without_tail(MemArrays x, size_t begin, size_t end, double s) {
  for (size_t i = begin; i + 4 <= end; ++i) x.a[i] = x.b[i] + s * x.c[i];
  return 0;
}
double scale_into_the_wrong_array(MemArrays x, size_t begin, size_t end, double s) {
  for (size_t i = begin; i < end; ++i) x.a[i] = s * x.c[i];
  return 0;
}
double read_skipping_the_last(MemArrays x, size_t begin, size_t end, double) {
  double sum = 0;
  for (size_t i = begin; i + 1 < end; ++i) sum += x.a[i];
  return sum;
}

TEST(MemoryKernels, TheCheckCatchesBrokenKernels) {
  const MemKernel broken[] = {
      {StreamOp::copy, "one-past-end", "test", false, copy_one_past_end},
      {StreamOp::copy, "before-begin", "test", false, copy_before_begin},
      {StreamOp::triad, "no-tail", "test", false, triad_without_tail},
      {StreamOp::scale, "wrong-array", "test", false, scale_into_the_wrong_array},
      {StreamOp::read, "short-sum", "test", false, read_skipping_the_last},
  };
  for (const auto& k : broken) EXPECT_NE(first_mismatch(k, 99), "") << k.impl << " passed";
}

// The reference itself, element by element, against STREAM's formulas.
TEST(MemoryKernels, ReferenceFollowsTheFormulas) {
  double a[] = {1.5}, b[] = {2.25}, c[] = {4.0};
  const MemArrays x{a, b, c};
  EXPECT_EQ(mem_op_reference(StreamOp::copy, x, 0, 3), 1.5);
  EXPECT_EQ(mem_op_reference(StreamOp::scale, x, 0, 3), 12.0);
  EXPECT_EQ(mem_op_reference(StreamOp::add, x, 0, 3), 3.75);
  EXPECT_EQ(mem_op_reference(StreamOp::triad, x, 0, 3), 14.25);
  EXPECT_EQ(mem_op_reference(StreamOp::read, x, 0, 3), 1.5);
  EXPECT_EQ(mem_op_reference(StreamOp::write, x, 0, 3), 3.0);
}

}  // namespace
}  // namespace specgap::cpu
