#pragma once
// The model and quant a projection command was asked for, checked: an unknown model or a quant it is
// never shipped in is a one-line usage error naming the ones specgap knows.
#include <string>

#include "analysis/model_cost.h"

namespace specgap::cli {

// `quant` empty: the quant the model usually ships in.
analysis::ModelCost chosen_model(const std::string& model, const std::string& quant);

}  // namespace specgap::cli
