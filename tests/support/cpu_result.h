#pragma once
// A passed CPU result with its figure as its median, for the analysis and report tests.
#include <optional>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "core/result.h"

namespace specgap::test {

inline Result cpu_result(std::string suite, std::string name, double value, std::string unit, nlohmann::json params,
                         std::optional<std::string> dtype = std::nullopt) {
  Result r;
  r.suite = std::move(suite);
  r.device = "cpu";
  r.name = std::move(name);
  r.value = value;
  r.unit = std::move(unit);
  r.params = std::move(params);
  r.dtype = std::move(dtype);
  r.stats.median = value;
  return r;
}

}  // namespace specgap::test
