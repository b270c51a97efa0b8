#include "analysis/device_claims.h"

#include <fmt/format.h>

#include <algorithm>

#include "analysis/this_machine.h"

namespace specgap::analysis {
namespace {

// What a claim is held against among a device's figures; nullopt when that device has no such figure.
std::optional<MeasuredFigure> delivered_for(const catalog::Figure& claim, const MachineFigures& f) {
  if (claim.what == "compute") {
    const auto it = f.compute_gflops.find(*claim.dtype);
    if (it != f.compute_gflops.end()) return it->second;
  } else if (f.bandwidth_gbs) {
    return f.bandwidth_gbs;
  }
  return std::nullopt;
}

std::string delivered_unit(const catalog::Figure& claim) { return claim.what == "compute" ? "GFLOP/s" : "GB/s"; }

HeldClaim hold(const catalog::Figure& claim, bool derived, const std::string& device, const MachineFigures& f,
               const std::string& not_measured) {
  const Claim c{claim.what == "compute" ? "compute" : "memory bandwidth", claim.dtype, claim.value, claim.unit,
                claim.sparse, claim.source};
  HeldClaim out;
  const auto delivered = delivered_for(claim, f);
  if (const auto v = delivered ? claim_vs_delivered(c, {delivered->value, delivered_unit(claim), delivered->how})
                               : std::nullopt) {
    out = {*v, true};
  } else {
    // The claim as claim_vs_delivered would state it (a sparse figure at its dense half), and why it stands alone.
    out.verdict = {c.what, "", c.dtype, claim.sparse ? claim.value / 2 : claim.value, 0, claim.unit, 0, claim.source,
                   not_measured};
    if (claim.sparse) out.verdict.note += fmt::format("; claim counts 2:4 sparsity ({:g} {}): its dense half", claim.value,
                                                      claim.unit);
  }
  Verdict& v = out.verdict;
  v.device = device;
  if (derived)
    v.claim_source = claim.detail.value("formula", "derived from the vendor's figures") +
                     (claim.source.empty() ? "" : " (" + claim.source + ")");
  const auto add_note = [&v](const std::string& n) { v.note += (v.note.empty() ? "" : "; ") + n; };
  if (claim.device == "cpu+gpu") add_note("the claim is for the memory the CPU and GPU share");
  // Two claims of one dtype differ by what they accumulate in (GeForce's fp16 runs at half rate into fp32).
  if (claim.detail.contains("accumulate") && claim.detail["accumulate"].is_string())
    add_note("accumulating in " + claim.detail["accumulate"].get<std::string>());
  if (claim.detail.contains("clock_assumption"))
    add_note("claim assumes " + claim.detail["clock_assumption"].get<std::string>());
  return out;
}

}  // namespace

std::vector<HeldClaim> hold_device_claims(const std::vector<DeviceRecognition>& devices,
                                          const std::vector<Result>& results, const nlohmann::json& machine) {
  std::vector<HeldClaim> out;
  for (const auto& d : devices) {
    if (!d.system) continue;
    const std::string kind = d.device == "cpu" ? "cpu" : "gpu";
    const auto f = machine_figures(results, machine, d.device);
    const bool any = std::any_of(results.begin(), results.end(), [&](const Result& r) { return r.device == d.device; });
    const std::string not_measured =
        any || kind == "cpu" ? "not measured in this run"
        : d.measurable       ? fmt::format("not measured in this run (specgap memory and compute --device {})", d.device)
                             : "not measured: no Vulkan driver lists this GPU, so specgap cannot reach it (install the "
                               "vendor's Vulkan driver)";
    for (const auto* figures : {&d.system->claims, &d.system->derived})
      for (const auto& claim : *figures) {
        const bool held = (claim.what == "compute" && claim.dtype) || claim.what == "memory_bandwidth";
        if (!held || !catalog::figure_for(claim, kind)) continue;
        const bool why_known = any && claim.what == "memory_bandwidth" && !f.no_bandwidth.empty();
        std::string why = why_known ? f.no_bandwidth : not_measured;
        if (claim.what == "compute" && claim.dtype && f.vector_only_gflops.count(*claim.dtype))
          why = fmt::format("not held: {}'s {} figure ran on its vector units (the cooperative-matrix GEMM on its "
                            "matrix cores is not built yet), and the claim is the matrix cores'",
                            d.device, *claim.dtype);
        out.push_back(hold(claim, figures == &d.system->derived, d.device, f, why));
      }
  }
  return out;
}

nlohmann::json to_json(const HeldClaim& c) {
  auto j = to_json(c.verdict);
  j["claim_kind"] = "spec";
  if (!c.measured) j["delivered"] = j["ratio"] = nullptr;
  return j;
}

}  // namespace specgap::analysis
