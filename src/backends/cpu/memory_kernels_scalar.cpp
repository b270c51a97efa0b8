// The scalar reference: the generic kernels on one double at a time, compiled without
// auto-vectorisation (see CMakeLists.txt). Every SIMD variant is checked against what this computes.
#include "backends/cpu/memory_kernels_generic.h"

namespace specgap::cpu {
namespace {
struct Scalar {
  using V = double;
  static constexpr size_t lanes = 1;
  static V load(const double* p) { return *p; }
  static void store(double* p, V v) { *p = v; }
  static void stream(double* p, V v) { *p = v; }
  static V set1(double s) { return s; }
  static V zero() { return 0; }
  static V add(V a, V b) { return a + b; }
  static V mul(V a, V b) { return a * b; }
  static V fmadd(V a, V b, V c) { return a * b + c; }
  static double reduce(V v) { return v; }
  static void fence() {}
};
}  // namespace

// Scalar code has no streaming stores worth naming, so only temporal variants.
extern const MemKernelEntry kMemoryKernelsScalar[] = {
    {StreamOp::copy, "scalar", false, generic::copy<Scalar, false>},
    {StreamOp::scale, "scalar", false, generic::scale<Scalar, false>},
    {StreamOp::add, "scalar", false, generic::add<Scalar, false>},
    {StreamOp::triad, "scalar", false, generic::triad<Scalar, false>},
    {StreamOp::read, "scalar", false, generic::read<Scalar, 1>},
    {StreamOp::write, "scalar", false, generic::write<Scalar, false>},
};
extern const size_t kMemoryKernelsScalarCount = sizeof kMemoryKernelsScalar / sizeof kMemoryKernelsScalar[0];

}  // namespace specgap::cpu
