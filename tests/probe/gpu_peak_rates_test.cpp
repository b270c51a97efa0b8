// The per-GPU-architecture rate table: device names to architectures, rates per dtype and path,
// open cells left out, and the formula, checked against vendor headlines (gpu.md 1.3).
#include <gtest/gtest.h>

#include <string>

#include "probe/gpu_peak_rates.h"

namespace specgap {
namespace {

std::string arch_of(const char* vendor, const char* name) {
  const GpuArchitecture* a = gpu_architecture(vendor, name);
  return a ? std::string(a->id) : "none";
}

double rate(const char* arch, Dtype d, GpuPath p) {
  const auto r = gpu_peak_rate(arch, d, p);
  return r ? r->ops_per_cycle : -1;
}

TEST(GpuPeakRates, DeviceNamesFindTheirArchitecture) {
  // Vulkan device names as NVIDIA's driver, RADV, AMD's drivers and ANV write them.
  EXPECT_EQ(arch_of("NVIDIA", "NVIDIA GeForce RTX 4090"), "nvidia-ada-ad10x");
  EXPECT_EQ(arch_of("NVIDIA", "NVIDIA GeForce RTX 4060 Laptop GPU"), "nvidia-ada-ad10x");
  EXPECT_EQ(arch_of("NVIDIA", "NVIDIA GeForce RTX 3090"), "nvidia-ampere-ga10x");
  EXPECT_EQ(arch_of("NVIDIA", "NVIDIA H100 80GB HBM3"), "nvidia-hopper-gh100");
  EXPECT_EQ(arch_of("NVIDIA", "NVIDIA H200"), "nvidia-hopper-gh100");
  EXPECT_EQ(arch_of("NVIDIA", "NVIDIA A100-SXM4-80GB"), "nvidia-ampere-ga100");
  EXPECT_EQ(arch_of("NVIDIA", "NVIDIA GeForce RTX 5090"), "nvidia-blackwell-gb20x");
  EXPECT_EQ(arch_of("NVIDIA", "NVIDIA GB10"), "nvidia-blackwell-gb10");
  EXPECT_EQ(arch_of("AMD", "AMD Radeon RX 7900 XTX (RADV NAVI31)"), "amd-rdna3");
  EXPECT_EQ(arch_of("AMD", "AMD Radeon RX 7900 XTX"), "amd-rdna3");
  EXPECT_EQ(arch_of("AMD", "AMD Radeon Graphics (RADV GFX1100)"), "amd-rdna3");
  EXPECT_EQ(arch_of("AMD", "AMD Radeon 8060S Graphics (RADV GFX1151)"), "amd-rdna3.5");
  EXPECT_EQ(arch_of("AMD", "AMD Radeon(TM) 8060S Graphics"), "amd-rdna3.5");
  EXPECT_EQ(arch_of("Intel", "Intel(R) Arc(TM) B580 Graphics (BMG G21)"), "intel-xe2");
  EXPECT_EQ(arch_of("Intel", "Intel(R) Arc(TM) 140V GPU (16GB)"), "intel-xe2");
}

TEST(GpuPeakRates, UnknownAndSoftwareDevicesHaveNoArchitecture) {
  EXPECT_EQ(arch_of("Mesa", "llvmpipe (LLVM 15.0.6, 256 bits)"), "none");
  EXPECT_EQ(arch_of("NVIDIA", "NVIDIA GeForce GTX 1080"), "none");
  EXPECT_EQ(arch_of("AMD", "AMD Radeon RX 6900 XT (RADV NAVI21)"), "none");
  EXPECT_EQ(arch_of("Intel", "Intel(R) Arc(TM) A770 Graphics (DG2)"), "none");
  // A workstation Ada part is not a GeForce: its matrix units run fp32 accumulate at their own rate.
  EXPECT_EQ(arch_of("NVIDIA", "NVIDIA RTX 4000 Ada Generation"), "none");
  // The vendor must match as well as the name.
  EXPECT_EQ(arch_of("AMD", "NVIDIA GeForce RTX 4090"), "none");
  EXPECT_FALSE(gpu_peak_rate("no-such-architecture", Dtype::fp32, GpuPath::vector));
}

TEST(GpuPeakRates, RatesMatchTheReferenceTables) {
  EXPECT_EQ(rate("nvidia-ada-ad10x", Dtype::fp32, GpuPath::vector), 256);
  EXPECT_EQ(rate("nvidia-ada-ad10x", Dtype::fp64, GpuPath::vector), 4);
  EXPECT_EQ(rate("nvidia-ada-ad10x", Dtype::bf16, GpuPath::matrix), 512);  // GeForce half rate, a=fp32
  EXPECT_EQ(rate("nvidia-ada-ad10x", Dtype::fp8, GpuPath::matrix), 1024);
  EXPECT_EQ(rate("nvidia-hopper-gh100", Dtype::fp16, GpuPath::vector), 512);
  EXPECT_EQ(rate("nvidia-hopper-gh100", Dtype::fp64, GpuPath::vector), 128);
  EXPECT_EQ(rate("nvidia-hopper-gh100", Dtype::int8, GpuPath::matrix), 8192);
  EXPECT_EQ(rate("nvidia-ampere-ga100", Dtype::fp32, GpuPath::vector), 128);
  EXPECT_EQ(rate("amd-rdna3", Dtype::fp32, GpuPath::vector), 256);
  EXPECT_EQ(rate("amd-rdna3", Dtype::int8, GpuPath::vector), 512);
  EXPECT_EQ(rate("amd-rdna3.5", Dtype::fp16, GpuPath::matrix), 512);  // RDNA3's CU
  EXPECT_EQ(rate("intel-xe2", Dtype::int8, GpuPath::matrix), 4096);
  EXPECT_EQ(gpu_peak_rate("nvidia-ada-ad10x", Dtype::fp16, GpuPath::vector)->confidence, "secondary");
}

TEST(GpuPeakRates, CellsTheReferenceLeavesOpenAreAbsent) {
  // vulkan.md 4: NVIDIA int8 dot and Xe2 fp16, fp64 and dot rates are unverified.
  EXPECT_FALSE(gpu_peak_rate("nvidia-ada-ad10x", Dtype::int8, GpuPath::vector));
  EXPECT_FALSE(gpu_peak_rate("nvidia-hopper-gh100", Dtype::int8, GpuPath::vector));
  EXPECT_FALSE(gpu_peak_rate("intel-xe2", Dtype::fp16, GpuPath::vector));
  EXPECT_FALSE(gpu_peak_rate("intel-xe2", Dtype::fp16, GpuPath::matrix));
  // gpu.md 1.5: GB10's bf16 accumulate rate is open; 1.2 marks GB202's fp16 vector rate "256?".
  EXPECT_FALSE(gpu_peak_rate("nvidia-blackwell-gb10", Dtype::bf16, GpuPath::matrix));
  EXPECT_FALSE(gpu_peak_rate("nvidia-blackwell-gb20x", Dtype::fp16, GpuPath::vector));
  // Paths the hardware lacks: no fp8 before Ada, none on RDNA3's WMMA.
  EXPECT_FALSE(gpu_peak_rate("nvidia-ampere-ga10x", Dtype::fp8, GpuPath::matrix));
  EXPECT_FALSE(gpu_peak_rate("amd-rdna3", Dtype::fp8, GpuPath::matrix));
}

TEST(GpuPeakRates, EveryRateNamesItsSourceAndConfidence) {
  for (const char* arch : {"nvidia-ampere-ga100", "nvidia-ampere-ga10x", "nvidia-ada-ad10x", "nvidia-hopper-gh100",
                           "nvidia-blackwell-gb20x", "nvidia-blackwell-gb10", "amd-rdna3", "amd-rdna3.5", "intel-xe2"})
    for (Dtype d : {Dtype::fp64, Dtype::fp32, Dtype::fp16, Dtype::bf16, Dtype::fp8, Dtype::int8})
      for (GpuPath p : {GpuPath::vector, GpuPath::matrix})
        if (const auto r = gpu_peak_rate(arch, d, p)) {
          EXPECT_GT(r->ops_per_cycle, 0) << arch;
          EXPECT_NE(r->source.find(".md"), std::string::npos) << arch << " " << to_string(d);
          EXPECT_FALSE(r->basis.empty()) << arch;
          const std::string c = r->confidence;
          EXPECT_TRUE(c == "read" || c == "derived" || c == "recalled" || c == "secondary") << arch << ": " << c;
        }
}

TEST(GpuPeakRates, TheFormulaReproducesVendorHeadlines) {
  // gpu.md 1.3: RTX 4090 fp32 82.6 TFLOP/s; H100 SXM bf16 989 TFLOP/s at 1830 MHz.
  const GpuArchitecture* ada = gpu_architecture("NVIDIA", "NVIDIA GeForce RTX 4090");
  ASSERT_NE(ada, nullptr);
  const auto fp32 = gpu_theoretical_peak(*gpu_peak_rate(ada->id, Dtype::fp32, GpuPath::vector), *ada, 128, 2520,
                                         Dtype::fp32);
  EXPECT_NEAR(fp32.ops_per_second / 1e12, 82.6, 0.05);
  EXPECT_EQ(fp32.formula, "128 SM x 2.520 GHz x 256 FLOP/clock/SM = 82.6 TFLOP/s");
  const GpuArchitecture* hopper = gpu_architecture("NVIDIA", "NVIDIA H100 80GB HBM3");
  ASSERT_NE(hopper, nullptr);
  const auto bf16 = gpu_theoretical_peak(*gpu_peak_rate(hopper->id, Dtype::bf16, GpuPath::matrix), *hopper, 132,
                                         1830, Dtype::bf16);
  EXPECT_NEAR(bf16.ops_per_second / 1e12, 989.4, 0.1);
  const GpuArchitecture* xe2 = gpu_architecture("Intel", "Intel(R) Arc(TM) 140V GPU (16GB)");
  ASSERT_NE(xe2, nullptr);
  const auto int8 = gpu_theoretical_peak(*gpu_peak_rate(xe2->id, Dtype::int8, GpuPath::matrix), *xe2, 8, 2050,
                                         Dtype::int8);
  EXPECT_EQ(int8.formula, "8 Xe-core x 2.050 GHz x 4096 OP/clock/Xe-core = 67.2 TOP/s");
}

}  // namespace
}  // namespace specgap
