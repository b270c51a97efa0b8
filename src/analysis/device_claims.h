#pragma once
// The catalog's claims for each recognised device of this machine, each held only against what that
// same device delivered in this run: a CPU claim against CPU results, a GPU's against that GPU's. A
// claim its device has no figure for is shown as not measured, never held against another device's.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/claims.h"
#include "analysis/recognise.h"
#include "core/result.h"

namespace specgap::analysis {

struct HeldClaim {
  Verdict verdict;        // `delivered` and `ratio` mean something only when measured
  bool measured = false;
};

// Compute (per dtype) and memory bandwidth claims and derived figures, NPU figures left out.
std::vector<HeldClaim> hold_device_claims(const std::vector<DeviceRecognition>& devices,
                                          const std::vector<Result>& results, const nlohmann::json& machine);

// A verdict row with claim_kind "spec"; delivered and ratio are null when not measured.
nlohmann::json to_json(const HeldClaim& c);

}  // namespace specgap::analysis
