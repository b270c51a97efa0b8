// The GPU rows of gpu.md 1.2-1.5 and vulkan.md 4, per compute unit and clock. Most NVIDIA cells are
// derived: a vendor headline divided by (SMs x clock), checked against the headline in gpu.md 1.3.
// Cells those files leave open ("?", "[unverified]", "not found") are left out.
#include "probe/gpu_peak_rates.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

namespace specgap {
namespace {

struct ArchRow {
  GpuArchitecture arch;
  std::string_view rates;  // whose rate rows it uses: RDNA3.5's CU is RDNA3's (vulkan.md 4, one row)
};

constexpr ArchRow kArchitectures[] = {
    {{"nvidia-ampere-ga100", "NVIDIA Ampere (GA100, A100)", "SM"}, "nvidia-ampere-ga100"},
    {{"nvidia-ampere-ga10x", "NVIDIA Ampere (GA10x, GeForce RTX 30)", "SM"}, "nvidia-ampere-ga10x"},
    {{"nvidia-ada-ad10x", "NVIDIA Ada (AD10x, GeForce RTX 40)", "SM"}, "nvidia-ada-ad10x"},
    {{"nvidia-hopper-gh100", "NVIDIA Hopper (GH100, H100/H200)", "SM"}, "nvidia-hopper-gh100"},
    {{"nvidia-blackwell-gb20x", "NVIDIA Blackwell (GB20x, GeForce RTX 50)", "SM"}, "nvidia-blackwell-gb20x"},
    {{"nvidia-blackwell-gb10", "NVIDIA Blackwell (GB10, DGX Spark)", "SM"}, "nvidia-blackwell-gb10"},
    {{"amd-rdna3", "AMD RDNA3 (gfx110x)", "CU"}, "amd-rdna3"},
    {{"amd-rdna3.5", "AMD RDNA3.5 (gfx115x)", "CU"}, "amd-rdna3"},
    {{"intel-xe2", "Intel Xe2 (Battlemage, Lunar Lake)", "Xe-core"}, "intel-xe2"},
};

// A device name containing `part` (case-insensitive) from `vendor` is of `arch`. GeForce parts are
// matched by family ("GeForce RTX 40"), so that workstation and datacenter parts of the same chip,
// whose matrix units run fp32 accumulate at full rate (gpu.md 1.4), never take GeForce rows.
struct NamePattern {
  std::string_view vendor, part, arch;
};
constexpr NamePattern kPatterns[] = {
    {"NVIDIA", "A100", "nvidia-ampere-ga100"},
    {"NVIDIA", "GeForce RTX 30", "nvidia-ampere-ga10x"},
    {"NVIDIA", "GeForce RTX 40", "nvidia-ada-ad10x"},
    {"NVIDIA", "H100", "nvidia-hopper-gh100"},
    {"NVIDIA", "H200", "nvidia-hopper-gh100"},  // also GH200's name
    {"NVIDIA", "GeForce RTX 50", "nvidia-blackwell-gb20x"},
    {"NVIDIA", "GB10", "nvidia-blackwell-gb10"},
    // RADV names the chip ("NAVI31", "GFX1151"); AMD's own drivers the product.
    {"AMD", "gfx110", "amd-rdna3"},
    {"AMD", "NAVI31", "amd-rdna3"},
    {"AMD", "NAVI32", "amd-rdna3"},
    {"AMD", "NAVI33", "amd-rdna3"},
    {"AMD", "RX 7900", "amd-rdna3"},
    {"AMD", "RX 7800", "amd-rdna3"},
    {"AMD", "RX 7700", "amd-rdna3"},
    {"AMD", "RX 7600", "amd-rdna3"},
    {"AMD", "gfx115", "amd-rdna3.5"},
    {"AMD", "8060S", "amd-rdna3.5"},
    {"AMD", "8050S", "amd-rdna3.5"},
    {"AMD", "890M", "amd-rdna3.5"},
    {"AMD", "880M", "amd-rdna3.5"},
    {"Intel", "Arc(TM) B", "intel-xe2"},
    {"Intel", "Arc B", "intel-xe2"},
    {"Intel", "B580", "intel-xe2"},
    {"Intel", "B570", "intel-xe2"},
    {"Intel", "140V", "intel-xe2"},
    {"Intel", "130V", "intel-xe2"},
};

struct RateRow {
  std::string_view rates;
  GpuPath path;
  Dtype dtype;
  double ops;  // per clock per compute unit
  const char* basis;
  const char* source;
  const char* confidence;
};

constexpr const char* kA100 = "gpu.md 1.2 (8.0) and 1.3: A100 headline at 108 SMs x 1410 MHz";
constexpr const char* kGa102 = "gpu.md 1.2 (8.6) and 1.3: RTX 3090 headline at 82 SMs x 1695 MHz";
constexpr const char* kAd102 = "gpu.md 1.2 (8.9) and 1.3: RTX 4090 headline (Ada whitepaper) at 128 SMs x 2520 MHz";
constexpr const char* kGh100 = "gpu.md 1.2 (9.0) and 1.3: H100 SXM headline at 132 SMs";
constexpr const char* kGb202 = "gpu.md 1.2 (12.0) and 1.3: RTX 5090 headline (RTX Blackwell whitepaper) at 170 SMs x 2407 MHz";
constexpr const char* kRdna3Wmma =
    "vulkan.md 4: WMMA rates from a FLOPS/clk/CU table reproducing AMD's AI TOPS (r/hardware); "
    "one WMMA per 32 clocks (GPUOpen, read)";
constexpr const char* kXe2 = "vulkan.md 4: TechPowerUp B580 review, 8 x 512-bit vector engines per Xe-core";

constexpr RateRow kRates[] = {
    {"nvidia-ampere-ga100", GpuPath::vector, Dtype::fp32, 128, "19.5 TFLOP/s / (108 x 1.41 GHz)", kA100, "derived"},
    {"nvidia-ampere-ga100", GpuPath::vector, Dtype::fp16, 512, "78 TFLOP/s non-tensor / (108 x 1.41 GHz)",
     "gpu.md 1.2 (8.0): A100 headline; NVIDIA forum 218102", "derived"},
    {"nvidia-ampere-ga100", GpuPath::vector, Dtype::fp64, 64, "9.7 TFLOP/s / (108 x 1.41 GHz)", kA100, "derived"},
    {"nvidia-ampere-ga100", GpuPath::matrix, Dtype::fp16, 2048, "312 TFLOP/s / (108 x 1.41 GHz)", kA100, "derived"},
    {"nvidia-ampere-ga100", GpuPath::matrix, Dtype::bf16, 2048, "312 TFLOP/s / (108 x 1.41 GHz)", kA100, "derived"},
    {"nvidia-ampere-ga100", GpuPath::matrix, Dtype::int8, 4096, "624 TOP/s / (108 x 1.41 GHz)", kA100, "derived"},

    {"nvidia-ampere-ga10x", GpuPath::vector, Dtype::fp32, 256, "35.6 TFLOP/s / (82 x 1.695 GHz)", kGa102, "derived"},
    {"nvidia-ampere-ga10x", GpuPath::vector, Dtype::fp16, 256, "fp16 non-tensor = fp32 on GA10x",
     "gpu.md 1.2 (8.6): GA102 whitepaper, not re-read", "recalled"},
    {"nvidia-ampere-ga10x", GpuPath::vector, Dtype::fp64, 4, "1/64 of fp32",
     "gpu.md 1.2 (8.6): GA102 whitepaper, not re-read", "recalled"},
    {"nvidia-ampere-ga10x", GpuPath::matrix, Dtype::fp16, 512, "71 TFLOP/s a=fp32 (GeForce half rate) / (82 x 1.695 GHz)",
     kGa102, "derived"},
    {"nvidia-ampere-ga10x", GpuPath::matrix, Dtype::bf16, 512, "71 TFLOP/s a=fp32 / (82 x 1.695 GHz)", kGa102, "derived"},
    {"nvidia-ampere-ga10x", GpuPath::matrix, Dtype::int8, 2048, "284 TOP/s / (82 x 1.695 GHz)", kGa102, "derived"},

    {"nvidia-ada-ad10x", GpuPath::vector, Dtype::fp32, 256, "82.6 TFLOP/s / (128 x 2.52 GHz)", kAd102, "derived"},
    {"nvidia-ada-ad10x", GpuPath::vector, Dtype::fp16, 256, "fp16 non-tensor 1:1 with fp32",
     "gpu.md 1.2 (8.9): waredb.com RTX 4090 page", "secondary"},
    {"nvidia-ada-ad10x", GpuPath::vector, Dtype::fp64, 4, "1.29 TFLOP/s / (128 x 2.52 GHz)",
     "gpu.md 1.2 (8.9): waredb.com RTX 4090 page", "secondary"},
    {"nvidia-ada-ad10x", GpuPath::matrix, Dtype::fp16, 512, "165.2 TFLOP/s a=fp32 (GeForce half rate) / (128 x 2.52 GHz)",
     kAd102, "derived"},
    {"nvidia-ada-ad10x", GpuPath::matrix, Dtype::bf16, 512, "165.2 TFLOP/s a=fp32 / (128 x 2.52 GHz); gpu.md 1.4",
     kAd102, "derived"},
    {"nvidia-ada-ad10x", GpuPath::matrix, Dtype::fp8, 1024, "330.3 TFLOP/s a=fp32 / (128 x 2.52 GHz)", kAd102, "derived"},
    {"nvidia-ada-ad10x", GpuPath::matrix, Dtype::int8, 2048, "660.6 TOP/s / (128 x 2.52 GHz)", kAd102, "derived"},

    {"nvidia-hopper-gh100", GpuPath::vector, Dtype::fp32, 256, "67 TFLOP/s / (132 x ~1.98 GHz)", kGh100, "derived"},
    {"nvidia-hopper-gh100", GpuPath::vector, Dtype::fp16, 512, "2x fp32 (H100 blog table)",
     "gpu.md 1.2 (9.0): NVIDIA forum 218102", "derived"},
    {"nvidia-hopper-gh100", GpuPath::vector, Dtype::fp64, 128, "34 TFLOP/s / (132 x ~1.98 GHz)", kGh100, "derived"},
    {"nvidia-hopper-gh100", GpuPath::matrix, Dtype::fp16, 4096, "989 TFLOP/s / (132 x 1.83 GHz)", kGh100, "derived"},
    {"nvidia-hopper-gh100", GpuPath::matrix, Dtype::bf16, 4096, "989 TFLOP/s / (132 x 1.83 GHz)", kGh100, "derived"},
    {"nvidia-hopper-gh100", GpuPath::matrix, Dtype::fp8, 8192, "1979 TFLOP/s / (132 x 1.83 GHz)", kGh100, "derived"},
    {"nvidia-hopper-gh100", GpuPath::matrix, Dtype::int8, 8192, "1979 TOP/s / (132 x 1.83 GHz)", kGh100, "derived"},

    {"nvidia-blackwell-gb20x", GpuPath::vector, Dtype::fp32, 256, "104.8 TFLOP/s / (170 x 2.407 GHz)", kGb202,
     "derived"},
    {"nvidia-blackwell-gb20x", GpuPath::matrix, Dtype::fp16, 512,
     "209.5 TFLOP/s a=fp32 (half the a=fp16 419, gpu.md 1.4) / (170 x 2.407 GHz)", kGb202, "derived"},
    {"nvidia-blackwell-gb20x", GpuPath::matrix, Dtype::bf16, 512, "209.5 TFLOP/s a=fp32 / (170 x 2.407 GHz)", kGb202,
     "derived"},
    {"nvidia-blackwell-gb20x", GpuPath::matrix, Dtype::fp8, 1024, "419 TFLOP/s a=fp32 / (170 x 2.407 GHz)", kGb202,
     "derived"},
    {"nvidia-blackwell-gb20x", GpuPath::matrix, Dtype::int8, 2048, "838 TOP/s / (170 x 2.407 GHz)", kGb202, "derived"},

    {"nvidia-blackwell-gb10", GpuPath::vector, Dtype::fp32, 256, "31 TFLOP/s / (48 x ~2.52 GHz); 6144 cores = 48 x 128",
     "gpu.md 1.3 and 1.5: DGX Spark headline", "derived"},

    {"amd-rdna3", GpuPath::vector, Dtype::fp32, 256,
     "2 SIMD32 x 32 lanes x 2 FLOP, dual-issued (wave64 or VOPD pairs); 128 single-issue, and compilers seldom "
     "dual-issue (Chips and Cheese)",
     "vulkan.md 4: ROCm gfx1151 docs (128 V_FMA_F32 per clock per CU in wave64, read); AMD quoted by hardwaretimes",
     "derived"},
    {"amd-rdna3", GpuPath::vector, Dtype::fp16, 512, "2x fp32, dual-issued", "vulkan.md 4: ROCm gfx1151 docs (FP16 2x FP32)",
     "derived"},
    {"amd-rdna3", GpuPath::vector, Dtype::fp64, 4, "1/32 of single-issue fp32",
     "vulkan.md 4: fpsbench.com Radeon 8060S vs 890M", "secondary"},
    {"amd-rdna3", GpuPath::vector, Dtype::int8, 512, "64 lanes x 4 MAC x 2 (dual issue of dot4 open, vulkan.md 7)",
     "vulkan.md 4", "derived"},
    {"amd-rdna3", GpuPath::matrix, Dtype::fp16, 512, "WMMA 16x16x16", kRdna3Wmma, "secondary"},
    {"amd-rdna3", GpuPath::matrix, Dtype::bf16, 512, "WMMA 16x16x16", kRdna3Wmma, "secondary"},
    {"amd-rdna3", GpuPath::matrix, Dtype::int8, 512, "WMMA iu8 16x16x16", kRdna3Wmma, "secondary"},

    {"intel-xe2", GpuPath::vector, Dtype::fp32, 256, "8 XVE x SIMD16 x 2 FLOP", kXe2, "derived"},
    {"intel-xe2", GpuPath::matrix, Dtype::int8, 4096,
     "Lunar Lake 67 TOP/s / (8 Xe-cores x 2.05 GHz) = 4085; 8 XMX x 2048 bit",
     "vulkan.md 4: tweaktown (Lunar Lake GPU 67 TOPS) and TechPowerUp B580 review", "derived"},
};

bool contains_nocase(std::string_view text, std::string_view part) {
  return std::search(text.begin(), text.end(), part.begin(), part.end(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
         }) != text.end();
}

std::string_view unit_word(Dtype d) { return is_integer(d) ? "OP" : "FLOP"; }

}  // namespace

const GpuArchitecture* gpu_architecture(std::string_view vendor, std::string_view device_name) {
  for (const NamePattern& p : kPatterns) {
    if (p.vendor != vendor || !contains_nocase(device_name, p.part)) continue;
    for (const ArchRow& a : kArchitectures)
      if (a.arch.id == p.arch) return &a.arch;
  }
  return nullptr;
}

std::optional<PeakRate> gpu_peak_rate(std::string_view arch_id, Dtype dtype, GpuPath path) {
  const auto arch = std::find_if(std::begin(kArchitectures), std::end(kArchitectures),
                                 [&](const ArchRow& a) { return a.arch.id == arch_id; });
  if (arch == std::end(kArchitectures)) return std::nullopt;
  for (const RateRow& r : kRates)
    if (r.rates == arch->rates && r.path == path && r.dtype == dtype)
      return PeakRate{r.ops, r.basis, r.source, r.confidence};
  return std::nullopt;
}

TheoreticalPeak gpu_theoretical_peak(const PeakRate& rate, const GpuArchitecture& arch, int units, double mhz,
                                     Dtype dtype) {
  TheoreticalPeak peak;
  peak.ops_per_second = units * mhz * 1e6 * rate.ops_per_cycle;
  peak.formula = fmt::format("{} {} x {:.3f} GHz x {} {}/clock/{} = {:.1f} T{}/s", units, arch.unit, mhz / 1000,
                             rate.ops_per_cycle, unit_word(dtype), arch.unit, peak.ops_per_second / 1e12,
                             unit_word(dtype));
  return peak;
}

}  // namespace specgap
