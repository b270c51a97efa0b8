// oneDNN's matmul primitive: Intel's tuned kernels for fp32, bf16, int8 and fp16, picked at run time
// for the CPU's ISA. The primitive is created once in prepare(), so run() is execute and wait.
// Two libraries: "onednn" takes B plain row-major (format tag ab), as a caller hands it over, and
// oneDNN packs B inside every call, as BLAS does; "onednn-packed" lets oneDNN choose B's layout
// (format tag any) and reorders B into it once, before timing, as inference frameworks do with
// weights and as oneDNN's own benchdnn measures by default.
#include <fmt/format.h>
#include <omp.h>

#include <oneapi/dnnl/dnnl.hpp>
#include <oneapi/dnnl/dnnl_debug.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "backends/cpu/gemm.h"
#include "backends/cpu/gemm_check.h"
#include "core/error.h"

namespace specgap::cpu {
namespace {

using dt = dnnl::memory::data_type;

// The matmuls oneDNN's CPU engine has: A x B -> C data types.
struct OnednnTypes {
  Dtype dtype;
  dt a, b, c;
};
constexpr OnednnTypes kTypes[] = {
    {Dtype::fp32, dt::f32, dt::f32, dt::f32},
    {Dtype::bf16, dt::bf16, dt::bf16, dt::f32},  // accumulates in f32, writes f32
    {Dtype::fp16, dt::f16, dt::f16, dt::f32},
    {Dtype::int8, dt::u8, dt::s8, dt::s32},
};

// Why the other dtypes have no row.
struct Missing {
  Dtype dtype;
  const char* reason;
};
constexpr Missing kMissing[] = {
    {Dtype::fp64, "oneDNN has no f64 matmul on CPU"},
    {Dtype::tf32, "oneDNN has no tf32 matmul on CPU (x86 has no tf32 arithmetic)"},
    {Dtype::fp8, "oneDNN 2.x has no fp8 data type"},
    {Dtype::fp4, "oneDNN has no fp4 data type"},
};

const OnednnTypes* types_of(Dtype d) {
  for (const auto& t : kTypes)
    if (t.dtype == d) return &t;
  return nullptr;
}

std::string missing_reason(Dtype d) {
  for (const auto& m : kMissing)
    if (m.dtype == d) return m.reason;
  return fmt::format("oneDNN has no {} matmul", to_string(d));
}

std::string describe(const dnnl::error& e) { return fmt::format("{} ({})", e.what(), dnnl_status2str(e.status)); }

// Throws dnnl::error when oneDNN has no implementation for these types on this CPU.
using tag = dnnl::memory::format_tag;
dnnl::matmul::primitive_desc make_matmul(const dnnl::engine& engine, const OnednnTypes& t, GemmShape s, bool packed_b) {
  const dnnl::memory::desc a({s.m, s.k}, t.a, tag::ab), b({s.k, s.n}, t.b, packed_b ? tag::any : tag::ab),
      c({s.m, s.n}, t.c, tag::ab);
  return {dnnl::matmul::desc(a, b, c), engine};
}

class OnednnGemm final : public GemmInstance {
 public:
  OnednnGemm(const OnednnTypes& t, GemmShape s, int threads, uint64_t seed, bool packed_b)
      : operands_(t.dtype, s, seed), threads_(threads), seed_(seed), engine_(dnnl::engine::kind::cpu, 0),
        stream_(engine_) {
    // oneDNN sizes its work split by the OpenMP thread count when the primitive is created.
    omp_set_num_threads(threads_);
    const auto pd = make_matmul(engine_, t, s, packed_b);
    kernel_ = pd.impl_info_str();
    matmul_ = dnnl::matmul(pd);
    dnnl::memory b_plain({{s.k, s.n}, t.b, tag::ab}, engine_, operands_.b());
    dnnl::memory b = b_plain;
    if (pd.weights_desc() != b_plain.get_desc()) {  // the packed layout: reorder B once, untimed
      b = dnnl::memory(pd.weights_desc(), engine_);
      dnnl::reorder(b_plain, b).execute(stream_, b_plain, b);
      stream_.wait();
      kernel_ += " (B packed once)";
    }
    args_ = {{DNNL_ARG_SRC, dnnl::memory(pd.src_desc(), engine_, operands_.a())},
             {DNNL_ARG_WEIGHTS, b},
             {DNNL_ARG_DST, dnnl::memory(pd.dst_desc(), engine_, operands_.c())}};
  }

  void run() override {
    // The OpenMP thread count belongs to the calling thread: set it again for a caller other than
    // the one that prepared.
    omp_set_num_threads(threads_);
    try {
      matmul_.execute(stream_, args_);
      stream_.wait();
    } catch (const dnnl::error& e) {
      throw Error("oneDNN matmul failed: " + describe(e));
    }
  }

  std::string run_and_check(int samples) override {
    operands_.poison_c();
    run();
    return gemm_check(operands_.view(), gemm_sample_entries(operands_.shape(), samples, seed_));
  }

  std::string kernel() const override { return kernel_; }

 private:
  GemmOperands operands_;
  int threads_;
  uint64_t seed_;
  dnnl::engine engine_;
  dnnl::stream stream_;
  dnnl::matmul matmul_;
  std::unordered_map<int, dnnl::memory> args_;
  std::string kernel_;
};

class Onednn final : public GemmLibrary {
 public:
  explicit Onednn(bool packed_b) : packed_b_(packed_b) {}
  std::string name() const override { return packed_b_ ? "onednn-packed" : "onednn"; }

  std::string version() const override {
    const dnnl_version_t* v = dnnl_version();
    return fmt::format("{}.{}.{}", v->major, v->minor, v->patch);
  }

  std::optional<std::string> unsupported(Dtype d) const override {
    const OnednnTypes* t = types_of(d);
    if (!t) return missing_reason(d);
    // Support depends on the types and the CPU's ISA, not the shape: a small probe answers.
    try {
      make_matmul(dnnl::engine(dnnl::engine::kind::cpu, 0), *t, {64, 64, 64}, packed_b_);
      return std::nullopt;
    } catch (const dnnl::error& e) {
      std::string_view isa = dnnl_cpu_isa2str(dnnl_get_effective_cpu_isa());  // "cpu_isa_avx2"
      if (isa.starts_with("cpu_isa_")) isa.remove_prefix(8);
      return fmt::format("oneDNN {} has no {} matmul for this CPU (its ISA here: {}): {}", version(), to_string(d),
                         isa, describe(e));
    } catch (const std::exception& e) {
      return fmt::format("oneDNN failed: {}", e.what());
    }
  }

  std::unique_ptr<GemmInstance> prepare(Dtype d, GemmShape s, int threads, uint64_t seed) const override {
    const OnednnTypes* t = types_of(d);
    if (!t) throw Error(fmt::format("onednn cannot run {}: {}", to_string(d), missing_reason(d)));
    if (threads < 1) throw Error(fmt::format("onednn: {} threads; need at least 1", threads));
    try {
      return std::make_unique<OnednnGemm>(*t, s, threads, seed, packed_b_);
    } catch (const dnnl::error& e) {
      throw Error(fmt::format("oneDNN cannot run a {} GEMM {}x{}x{} (m x n x k): {}", to_string(d), s.m, s.n, s.k,
                              describe(e)));
    }
  }
 private:
  bool packed_b_;
};

}  // namespace

std::unique_ptr<GemmLibrary> onednn_library(bool packed_b) { return std::make_unique<Onednn>(packed_b); }

}  // namespace specgap::cpu
