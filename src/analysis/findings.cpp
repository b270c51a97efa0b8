#include "analysis/findings.h"

namespace specgap::analysis {

nlohmann::json audit_findings(const RunRecord& run, const std::vector<catalog::System>& catalog) {
  (void)run;
  (void)catalog;
  return {{"system", nullptr},
          {"verdicts", nlohmann::json::array()},
          {"roofline", {{"ceilings", nlohmann::json::array()}, {"points", nlohmann::json::array()}}},
          {"ranking", {{"rows", nlohmann::json::array()}}},
          {"advice", nlohmann::json::array()}};
}

}  // namespace specgap::analysis
