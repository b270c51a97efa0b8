// machine_peaks: per kind, the fastest path its features allow; over kinds, the sum.
#include "probe/machine_peak.h"

#include <algorithm>

#include <fmt/format.h>

namespace specgap {
namespace {

struct ArmPath {
  Dtype dtype;
  const char* feature;  // canonical isa name (isa.h) the path needs
  const char* instruction;
  VectorOp op;
};

// Every listed core runs SVE at 128 bits per pipe or less, so NEON reaches the same rate
// (peak_rates.cpp) and the paths are rated at NEON's width.
constexpr int kNeonBits = 128;
constexpr ArmPath kArmPaths[] = {
    {Dtype::fp64, "neon", "FMLA", VectorOp::fma_or_dot},     {Dtype::fp32, "neon", "FMLA", VectorOp::fma_or_dot},
    {Dtype::fp16, "fphp", "FMLA", VectorOp::fma_or_dot},     {Dtype::bf16, "bf16", "BFDOT", VectorOp::fma_or_dot},
    {Dtype::bf16, "bf16", "BFMMLA", VectorOp::mmla},         {Dtype::int8, "asimddp", "SDOT", VectorOp::fma_or_dot},
    {Dtype::int8, "i8mm", "SMMLA", VectorOp::mmla},
};
constexpr Dtype kDtypes[] = {Dtype::fp64, Dtype::fp32, Dtype::fp16, Dtype::bf16, Dtype::int8};

bool has(const CpuIdentity& id, const char* feature) {
  return std::find(id.isa.begin(), id.isa.end(), feature) != id.isa.end();
}

const char* unit_word(Dtype d) { return is_integer(d) ? "OP" : "FLOP"; }

// The kind's fastest path for `d`: the path with the highest rate; without a table row, the
// last path its features allow, named but unrated. nullopt: no path at all.
std::optional<KindPeak> best_path(const CpuIdentity& id, const CoreKind& kind, Dtype d) {
  std::optional<KindPeak> best;
  for (const ArmPath& p : kArmPaths) {
    if (p.dtype != d || !has(id, p.feature)) continue;
    KindPeak k{&kind, p.instruction, kNeonBits, peak_rate(kind.uarch.id, d, kNeonBits, p.op)};
    const double rate = k.rate ? k.rate->ops_per_cycle : -1;
    if (!best || rate >= (best->rate ? best->rate->ops_per_cycle : -1)) best = k;
  }
  return best;
}

std::string term(const KindPeak& k, Dtype d, bool with_clock) {
  const std::string clock = with_clock ? fmt::format(" x {:.3f} GHz", *k.kind->freq_max_mhz / 1000) : "";
  return fmt::format("{} x {}{} x {} {}/cycle ({})", k.kind->cores, k.kind->uarch.name, clock, k.rate->ops_per_cycle,
                     unit_word(d), k.instruction);
}

MachinePeak sum_kinds(Dtype d, std::vector<KindPeak> kinds) {
  MachinePeak p;
  p.dtype = d;
  p.kinds = std::move(kinds);
  for (const KindPeak& k : p.kinds)
    if (!k.rate) {
      p.missing = fmt::format("no peak-rate row for {}: a sum without it would under-report the machine",
                              k.kind->uarch.name);
      return p;
    }
  const bool clocks = std::all_of(p.kinds.begin(), p.kinds.end(),
                                  [](const KindPeak& k) { return k.kind->freq_max_mhz.has_value(); });
  std::string terms;
  double per_second = 0;
  for (const KindPeak& k : p.kinds) {
    p.ops_per_cycle += k.kind->cores * k.rate->ops_per_cycle;
    if (clocks) per_second += k.kind->cores * *k.kind->freq_max_mhz * 1e6 * k.rate->ops_per_cycle;
    terms += (terms.empty() ? "" : " + ") + term(k, d, clocks);
  }
  if (clocks) {
    p.ops_per_second = per_second;
    p.formula = fmt::format("{} = {:.1f} G{}/s at the cpufreq maximum", terms, per_second / 1e9, unit_word(d));
  } else {
    p.formula = fmt::format("{} = {} {}/cycle", terms, p.ops_per_cycle, unit_word(d));
    p.missing = "clock unknown: no cpufreq maximum";
  }
  return p;
}

}  // namespace

std::vector<MachinePeak> machine_peaks(const CpuInfo& cpu) {
  std::vector<MachinePeak> out;
  if (cpu.identity.arch != "aarch64" || cpu.emulator != "none") return out;
  for (Dtype d : kDtypes) {
    std::vector<KindPeak> kinds;
    for (const CoreKind& kind : cpu.core_kinds)
      if (auto k = best_path(cpu.identity, kind, d)) kinds.push_back(*k);
    // A dtype some kind cannot run has no machine-wide path (every kind of a chip shares its ISA).
    if (!kinds.empty() && kinds.size() == cpu.core_kinds.size()) out.push_back(sum_kinds(d, std::move(kinds)));
  }
  return out;
}

}  // namespace specgap
