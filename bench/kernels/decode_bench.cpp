// Micro-benchmarks of the LLM decode kernels beside the memory suite's read kernels (Google Benchmark),
// so that a change to a kernel is judged by its own rate, not through a whole model's noise. Run by
// hand on an idle machine, not in CI; interleave, since a shared host moves from run to run:
//   build/bench/decode_bench --benchmark_repetitions=5 --benchmark_enable_random_interleaving=true
// Each kernel benchmark runs once per SIMD path this CPU has (<type>/<isa>, e.g. PerRead/q4_0/avx2).
// - InCache/<type>: one thread, the kernel over a 12-group matrix (0.2-0.4 MB, in L2) again
//   and again: the unpacking's own speed, which bounds decode when neighbours share the core.
// - Prefill/<type>: the same matrix against 64 tokens (one token block of prefill), one thread:
//   counter macs_per_second, the multiply-adds of a prompt's matmuls.
// - FromMemory/<type>: one pinned thread per physical core, over a 512 MiB matrix, half each: what decode of
//   one big matrix reaches. Read/<impl>: the memory suite's read kernels over 512 MiB the same way.
// - PerRead/<type>: FromMemory's pass, then a pass of every read kernel, 60 times; counter per_read is
//   the median over those rounds of the kernel's rate over the best read rate of its round. Paired
//   within a round, it holds still where the host's bandwidth moves between runs: judge a kernel change
//   by it.
// bytes_per_second is the packed bytes one pass reads (the bytes decode counts), or the array's bytes;
// Google Benchmark prints it in binary units (G = 2^30), where specgap's tables use 1e9.
// Every matrix is checked first: the kernel timed against the portable one on its first groups.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "backends/cpu/buffer.h"
#include "backends/cpu/memory_kernels.h"
#include "backends/cpu/quant_matmul.h"
#include "backends/cpu/quant_reference.h"
#include "backends/cpu/thread_team.h"
#include "probe/machine.h"
#include "suites/memory/plan.h"

namespace specgap::cpu {
namespace {

constexpr int64_t kCols = 2048;  // Llama 3.2 1B's model width
constexpr size_t kMemoryBytes = size_t(512) << 20;
constexpr GgmlType kTypes[] = {GgmlType::q4_0, GgmlType::q8_0, GgmlType::mxfp4, GgmlType::q4_k, GgmlType::q6_k};

// A packed matrix of at least `bytes` with `tokens` tokens' activations. Random valid blocks are packed
// for up to 64 groups, then repeated: DRAM traffic does not depend on the values.
struct Matrix {
  GgmlType type;
  int64_t rows;
  Buffer packed;
  std::vector<std::byte> act;
  std::vector<float> out;
  MatmulKernel kernel;

  int64_t tokens;

  Matrix(GgmlType t, size_t bytes, int64_t n_tokens = 1)
      : type(t), rows(groups_for(t, bytes) * kPackRows), packed(packed_bytes(t, rows, kCols)),
        act(act_row_bytes(t, kCols) * n_tokens), out(rows * n_tokens), kernel(select_matmul(t)), tokens(n_tokens) {
    const int64_t unique = std::min<int64_t>(64, rows / kPackRows);
    std::vector<std::byte> src(*ggml_row_bytes(t, kCols) * unique * kPackRows);
    fill_random_blocks(t, src.data(), unique * kPackRows * kCols, 7, 0.02f);
    pack_groups(t, src.data(), unique * kPackRows, kCols, packed.as<std::byte>(), 0, unique);
    const size_t chunk = packed_group_bytes(t, kCols) * unique, total = packed_bytes(t, rows, kCols);
    for (size_t at = chunk; at < total; at += chunk)
      std::memcpy(packed.as<std::byte>() + at, packed.as<std::byte>(), std::min(chunk, total - at));
    std::vector<float> x(kCols);
    std::vector<std::byte> xs(sizeof(float) * kCols);
    for (int64_t k = 0; k < tokens; ++k) {
      fill_random_blocks(GgmlType::f32, xs.data(), kCols, 3 + k, 1.0f);
      std::memcpy(x.data(), xs.data(), xs.size());
      quantize_act_row(t, x.data(), kCols, act.data() + k * act_row_bytes(t, kCols));
    }
  }
  static int64_t groups_for(GgmlType t, size_t bytes) {
    return std::max<int64_t>(1, static_cast<int64_t>(bytes / packed_group_bytes(t, kCols)));
  }
  int64_t groups() const { return rows / kPackRows; }
  size_t bytes() const { return packed_bytes(type, rows, kCols); }
  void run(int64_t g0, int64_t g1) {
    kernel.fn(packed.as<std::byte>(), rows, kCols, g0, g1, act.data(), act_row_bytes(type, kCols), tokens, out.data(), rows);
  }
  // "" when the kernel gives the portable kernel's bits on the first groups.
  std::string check() {
    const int64_t g = std::min<int64_t>(groups(), 8);
    std::vector<float> ref(out.size());
    run(0, g);
    generic_matmul(type).fn(packed.as<std::byte>(), rows, kCols, 0, g, act.data(), act_row_bytes(type, kCols), tokens,
                            ref.data(), rows);
    for (int64_t k = 0; k < tokens; ++k)
      for (int64_t r = 0; r < g * kPackRows; ++r)
        if (out[k * rows + r] != ref[k * rows + r])
          return kernel.isa + " kernel differs from the portable one at token " + std::to_string(k) + ", row " + std::to_string(r);
    return "";
  }
};

void in_cache(benchmark::State& state, GgmlType t, const MatmulKernel& k) {
  Matrix m(t, 12 * packed_group_bytes(t, kCols));
  m.kernel = k;
  if (const auto err = m.check(); !err.empty()) return state.SkipWithError(err.c_str());
  for (auto _ : state) {
    m.run(0, m.groups());
    benchmark::DoNotOptimize(m.out.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * m.bytes()));
  state.SetLabel(m.kernel.isa);
}

void prefill(benchmark::State& state, GgmlType t, const MatmulKernel& k) {
  Matrix m(t, 12 * packed_group_bytes(t, kCols), 64);
  m.kernel = k;
  if (const auto err = m.check(); !err.empty()) return state.SkipWithError(err.c_str());
  for (auto _ : state) {
    m.run(0, m.groups());
    benchmark::DoNotOptimize(m.out.data());
  }
  state.counters["macs_per_second"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * static_cast<double>(m.rows * kCols * m.tokens), benchmark::Counter::kIsRate);
  state.SetLabel(m.kernel.isa);
}

// One pinned thread per physical core, as specgap's suites place them.
ThreadTeam& team() {
  static ThreadTeam t = [] {
    const Machine m = probe_machine();
    return ThreadTeam(suites::pick_cpus(m.cpu, std::max(1, static_cast<int>(m.cpu.core_pus.size()))));
  }();
  return t;
}

Matrix& big_matrix(GgmlType t) {
  static std::vector<std::unique_ptr<Matrix>> cache(std::size(kTypes));
  const size_t slot = std::find(std::begin(kTypes), std::end(kTypes), t) - std::begin(kTypes);
  if (!cache[slot]) cache[slot] = std::make_unique<Matrix>(t, kMemoryBytes);
  return *cache[slot];
}

void decode_pass(Matrix& m) {
  const auto members = static_cast<int64_t>(team().size());
  team().run([&](size_t i) {
    const auto k = static_cast<int64_t>(i);
    m.run(m.groups() * k / members, m.groups() * (k + 1) / members);
  });
}

void from_memory(benchmark::State& state, GgmlType t, const MatmulKernel& k) {
  Matrix& m = big_matrix(t);
  m.kernel = k;
  if (const auto err = m.check(); !err.empty()) return state.SkipWithError(err.c_str());
  for (auto _ : state) decode_pass(m);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * m.bytes()));
  state.SetLabel(m.kernel.isa + ", " + std::to_string(team().size()) + " threads");
}

// 512 MiB of doubles, first touched by the member that reads each part.
MemArrays read_array() {
  static Buffer array(kMemoryBytes);
  static const bool touched = [] {
    team().run([&](size_t i) {
      const Range r = split_range(kMemoryBytes / sizeof(double), team().size(), i);
      std::fill(array.as<double>() + r.begin, array.as<double>() + r.end, 1.0);
    });
    return true;
  }();
  (void)touched;
  return {array.as<double>(), nullptr, nullptr};
}

// One pass of a read kernel over the array; false when its sum is wrong.
bool read_pass(MemKernelFn fn) {
  const MemArrays arrays = read_array();
  const size_t n = kMemoryBytes / sizeof(double);
  std::vector<PaddedSum> sums(team().size());
  team().run([&](size_t i) {
    const Range r = split_range(n, team().size(), i);
    sums[i].value = fn(arrays, r.begin, r.end, 0);
  });
  return sums[0].value == static_cast<double>(split_range(n, team().size(), 0).end);
}

void read(benchmark::State& state, MemKernelFn fn) {
  bool right = true;
  for (auto _ : state) right = read_pass(fn) && right;
  if (!right) return state.SkipWithError("the read kernel's sum is wrong");
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * kMemoryBytes));
  state.SetLabel(std::to_string(team().size()) + " threads");
}

double seconds_of(const std::function<void()>& f) {
  const auto t0 = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

void per_read(benchmark::State& state, GgmlType t, const MatmulKernel& k) {
  Matrix& m = big_matrix(t);
  m.kernel = k;
  if (const auto err = m.check(); !err.empty()) return state.SkipWithError(err.c_str());
  std::vector<MemKernelFn> reads;
  for (const auto& k : memory_kernels(StreamOp::read))
    if (k.isa != "scalar") reads.push_back(k.fn);
  std::vector<double> ratios;
  bool right = true;
  for (auto _ : state) {
    const double kernel_s = seconds_of([&] { decode_pass(m); });
    double best_read = 0;
    for (MemKernelFn fn : reads)
      best_read = std::max(best_read, static_cast<double>(kMemoryBytes) / seconds_of([&] { right = read_pass(fn) && right; }));
    state.SetIterationTime(kernel_s);
    ratios.push_back(static_cast<double>(m.bytes()) / kernel_s / best_read);
  }
  if (!right) return state.SkipWithError("a read kernel's sum is wrong");
  std::sort(ratios.begin(), ratios.end());
  state.counters["per_read"] = ratios[ratios.size() / 2];
  state.counters["per_read_min"] = ratios.front();
  state.counters["per_read_max"] = ratios.back();
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * m.bytes()));
  state.SetLabel(m.kernel.isa + ", " + std::to_string(team().size()) + " threads");
}

const bool registered = [] {
  for (GgmlType t : kTypes) {
    std::vector<MatmulKernel> kernels = simd_matmuls(t);
    if (kernels.empty()) kernels.push_back(select_matmul(t));
    for (const MatmulKernel& k : kernels) {  // every path this CPU runs, fastest first
      const std::string name = std::string(to_string(t)) + "/" + k.isa;
      benchmark::RegisterBenchmark(("InCache/" + name).c_str(), in_cache, t, k)->Unit(benchmark::kMicrosecond);
      benchmark::RegisterBenchmark(("Prefill/" + name).c_str(), prefill, t, k)->Unit(benchmark::kMicrosecond);
      benchmark::RegisterBenchmark(("FromMemory/" + name).c_str(), from_memory, t, k)->Unit(benchmark::kMillisecond)->UseRealTime();
      benchmark::RegisterBenchmark(("PerRead/" + name).c_str(), per_read, t, k)
          ->Unit(benchmark::kMillisecond)
          ->UseManualTime()
          ->Iterations(60);
    }
  }
  for (const auto& k : memory_kernels(StreamOp::read))
    if (k.isa != "scalar")
      benchmark::RegisterBenchmark(("Read/" + k.impl).c_str(), read, k.fn)->Unit(benchmark::kMillisecond)->UseRealTime();
  return true;
}();

}  // namespace
}  // namespace specgap::cpu

BENCHMARK_MAIN();
