#pragma once
// What the audit concludes from one run and the catalog: claim vs delivered, the roofline, the
// ranking and plain-sentence advice. One JSON object, so that every reporter (text, Markdown, HTML)
// renders the same conclusions and none of them computes its own.
//
// Schema (every number in the unit named beside it; absent figures are absent keys, never zeros):
// {
//   "recognised": [{"device": "cpu"|"gpu0"..., "name", "system": {"id", "name", "kind"} | null, "how"}]
//                                          each device's catalog system (recognise.h)
//   "verdicts": [{"what", "device", "dtype"?, "claimed", "delivered"|null, "unit", "ratio"|null,
//                 "claim_source", "claim_kind": "spec"|"theoretical", "note"}]
//                                          null: the claim's own device has no figure for it
//   "roofline": {"bandwidth_gbs", "bandwidth_how",
//                "ceilings": [{"dtype", "gflops", "how"}],
//                "points":   [{"name", "intensity" (FLOP/byte), "gflops" (achieved), "ceiling_dtype",
//                              "ridge" (FLOP/byte), "bound": "memory"|"compute", "fraction" (of roof),
//                              "bandwidth_gbs", "bandwidth_how" (its memory roof)}]}
//   "ranking":  {"model", "quant", "workload", "rows": [{"id", "name", "kind", "this_machine": bool,
//                 "decode_tps", "prefill_tps", "source": "measured"|"projection", "test" (the tests this
//                 machine ran, or ""), "published_decode_tps"?, "price_usd"?, "decode_per_kusd"?, "watts"?,
//                 "decode_per_watt"?}]}
//   "advice":   ["sentence", ...]
// }
#include <vector>

#include <nlohmann/json.hpp>

#include "catalog/catalog.h"
#include "core/result.h"

namespace specgap::analysis {

nlohmann::json audit_findings(const RunRecord& run, const std::vector<catalog::System>& catalog);

}  // namespace specgap::analysis
