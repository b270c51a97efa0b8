#include "cli/model_choice.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/error.h"

namespace specgap::cli {

analysis::ModelCost chosen_model(const std::string& model, const std::string& quant) {
  const auto canon = analysis::canonical_model(model);
  if (!canon)
    throw UsageError(fmt::format("unknown model '{}' (known: {})", model, fmt::join(analysis::known_models(), ", ")));
  const std::string q = quant.empty() ? analysis::default_quant(*canon) : quant;
  const auto cost = analysis::model_cost(*canon, q);
  if (!cost)
    throw UsageError(fmt::format("no quant '{}' for {} (known: {})", q, *canon, fmt::join(analysis::known_quants(), ", ")));
  return *cost;
}

}  // namespace specgap::cli
