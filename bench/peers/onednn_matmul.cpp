// A direct oneDNN matmul, the way its documentation shows it: C[m x n] = A[m x k] * B[k x n], plain
// row-major layouts (or, with "packed", B in the layout oneDNN chooses, reordered once before
// timing, as benchdnn's default does), the primitive created once, one untimed call, then `reps`
// timed calls. f32, bf16 (f32 output) or int8 (u8 x s8 -> s32). Prints the implementation oneDNN
// chose and one line per call: "rep <i> <GFLOP/s>". A peer for bench/compute_vs_peers.py, not part of
// specgap.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include <oneapi/dnnl/dnnl.hpp>

using dt = dnnl::memory::data_type;
using tag = dnnl::memory::format_tag;

int main(int argc, char** argv) {
  if (argc != 6 && argc != 7) {
    std::fprintf(stderr, "usage: onednn_matmul f32|bf16|int8 M N K REPS [packed]\n");
    return 2;
  }
  const std::string type = argv[1];
  const long m = std::atol(argv[2]), n = std::atol(argv[3]), k = std::atol(argv[4]);
  const int reps = std::atoi(argv[5]);
  const dt a_t = type == "int8" ? dt::u8 : type == "bf16" ? dt::bf16 : dt::f32;
  const dt b_t = type == "int8" ? dt::s8 : a_t;
  const dt c_t = type == "int8" ? dt::s32 : dt::f32;
  dnnl::engine eng(dnnl::engine::kind::cpu, 0);
  dnnl::stream s(eng);
  const bool packed = argc == 7 && std::string(argv[6]) == "packed";
  dnnl::memory::desc a_md({m, k}, a_t, tag::ab), b_md({k, n}, b_t, tag::ab), c_md({m, n}, c_t, tag::ab);
  dnnl::memory::desc b_any({k, n}, b_t, packed ? tag::any : tag::ab);
  dnnl::matmul::primitive_desc pd(dnnl::matmul::desc(a_md, b_any, c_md), eng);  // oneDNN 2.x API
  dnnl::memory a(a_md, eng), b(b_md, eng), c(c_md, eng);
  // Pseudo-random values in [-1, 1] (bf16: the top half of the float), int8: u8 in [0, 127], s8 any.
  unsigned seed = 1;
  auto next = [&seed] { return (seed = seed * 1103515245u + 12345u) >> 8; };
  for (auto* mem : {&a, &b}) {
    const bool is_a = mem == &a;
    const size_t count = (is_a ? m * k : k * n);
    void* p = mem->get_data_handle();
    for (size_t i = 0; i < count; ++i) {
      const float x = float(next() % 2001) / 1000 - 1;
      if (type == "f32") static_cast<float*>(p)[i] = x;
      else if (type == "bf16") { uint32_t bits; std::memcpy(&bits, &x, 4); static_cast<uint16_t*>(p)[i] = uint16_t(bits >> 16); }
      else if (is_a) static_cast<uint8_t*>(p)[i] = uint8_t(next() & 0x7f);
      else static_cast<int8_t*>(p)[i] = int8_t(next() & 0xff);
    }
  }
  dnnl::memory weights = b;
  if (pd.weights_desc() != b_md) {
    weights = dnnl::memory(pd.weights_desc(), eng);
    dnnl::reorder(b, weights).execute(s, b, weights);
    s.wait();
  }
  dnnl::matmul mm(pd);
  std::printf("kernel %s\n", pd.impl_info_str());
  for (int r = -1; r < reps; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    mm.execute(s, {{DNNL_ARG_SRC, a}, {DNNL_ARG_WEIGHTS, weights}, {DNNL_ARG_DST, c}});
    s.wait();
    const double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (r >= 0) std::printf("rep %d %.3f\n", r, 2.0 * m * n * double(k) / t / 1e9);
  }
  return 0;
}
